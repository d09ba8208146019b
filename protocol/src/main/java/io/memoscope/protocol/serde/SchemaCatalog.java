package io.memoscope.protocol.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The writer schemas a reader knows, by their CRC-64-AVRO fingerprint (the one that travels in
 * every single-object encoded value).
 *
 * <p>{@link #shipped()} knows every version this code has shipped; a reader that must read values
 * from a newer producer is told that producer's schema with {@link #add(Schema)} or {@link
 * #addAll(Path)}. Thread-safe: schemas may be added while values are decoded.
 */
public final class SchemaCatalog implements SchemaStore {

  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

  private SchemaCatalog() {}

  public static SchemaCatalog empty() {
    return new SchemaCatalog();
  }

  /** A new catalog holding every schema version in {@link SchemaHistory}. */
  public static SchemaCatalog shipped() {
    SchemaCatalog catalog = new SchemaCatalog();
    SchemaHistory.all().forEach(catalog::add);
    return catalog;
  }

  /** The 64-bit CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  public SchemaCatalog add(Schema schema) {
    byFingerprint.putIfAbsent(fingerprint(schema), schema);
    return this;
  }

  /**
   * Adds the schema in an {@code .avsc} file, or in every {@code .avsc} file directly inside a
   * directory.
   *
   * @throws IllegalArgumentException if a path is missing or a file is not a valid schema
   */
  public SchemaCatalog addAll(Path fileOrDirectory) {
    if (Files.isDirectory(fileOrDirectory)) {
      try (Stream<Path> files = Files.list(fileOrDirectory)) {
        files
            .filter(f -> f.getFileName().toString().endsWith(".avsc"))
            .filter(Files::isRegularFile)
            .sorted()
            .forEach(this::addFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list schema directory " + fileOrDirectory, e);
      }
    } else if (Files.isRegularFile(fileOrDirectory)) {
      addFile(fileOrDirectory);
    } else {
      throw new IllegalArgumentException(
          "schema path " + fileOrDirectory + " is neither a file nor a directory");
    }
    return this;
  }

  public SchemaCatalog addAll(Collection<Path> filesOrDirectories) {
    filesOrDirectories.forEach(this::addAll);
    return this;
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /**
   * The known versions of one record, by full name (e.g. io.memoscope.protocol.avro.ImageSample).
   */
  public List<Schema> versionsOf(String fullName) {
    return byFingerprint.values().stream().filter(s -> s.getFullName().equals(fullName)).toList();
  }

  private void addFile(Path file) {
    try {
      // A fresh parser per file, since different versions declare the same names.
      add(new Schema.Parser().parse(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema file " + file, e);
    } catch (AvroRuntimeException e) {
      throw new IllegalArgumentException(
          "invalid Avro schema in " + file + ": " + e.getMessage(), e);
    }
  }
}
