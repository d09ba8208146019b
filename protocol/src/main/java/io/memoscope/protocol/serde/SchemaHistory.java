package io.memoscope.protocol.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Every version of every memoscope schema that this code has ever shipped, so that the current code
 * reads records written by any older producer.
 *
 * <p>Versions live in {@code io/memoscope/schemas/history/<Record>-<version>.avsc}, numbered from 1
 * without gaps; the highest number is the current schema (a test holds the generated classes to
 * that). Changing a schema means adding the next file, never editing an old one: the files are the
 * writer schemas that old records on the topics were written with.
 */
public final class SchemaHistory {

  /** Simple names of the top-level records, one history each. */
  public static final List<String> RECORDS =
      List.of("ImageSample", "DatasetInfo", "TrainingEvent", "RunManifest", "SampleEvaluation");

  static final String RESOURCE_DIR = "/io/memoscope/schemas/history/";

  private static final Map<String, List<Schema>> VERSIONS =
      RECORDS.stream()
          .collect(Collectors.toUnmodifiableMap(Function.identity(), SchemaHistory::load));

  private SchemaHistory() {}

  /** Versions 1..n of one record, oldest first. */
  public static List<Schema> versions(String record) {
    List<Schema> versions = VERSIONS.get(record);
    if (versions == null) {
      throw new IllegalArgumentException("no schema history for " + record + "; known: " + RECORDS);
    }
    return versions;
  }

  /** Every shipped version of every record. */
  public static List<Schema> all() {
    List<Schema> all = new ArrayList<>();
    RECORDS.forEach(record -> all.addAll(versions(record)));
    return all;
  }

  private static List<Schema> load(String record) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = RESOURCE_DIR + record + "-" + version + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
        if (in == null) {
          break;
        }
        // One parser per file: every version declares the same full names.
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema resource " + resource, e);
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalStateException(
          "schema history resource " + RESOURCE_DIR + record + "-1.avsc is missing");
    }
    return List.copyOf(versions);
  }
}
