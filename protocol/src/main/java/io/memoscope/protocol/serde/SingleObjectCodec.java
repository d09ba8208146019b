package io.memoscope.protocol.serde;

import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type in Avro single-object encoding: {@code C3 01}, the writer
 * schema's 8-byte little-endian CRC-64-AVRO fingerprint, then the Avro binary body.
 *
 * <p>Decoding trusts nothing: the header, the fingerprint, the record type, the body's structure
 * (see {@link BodyScanner}) and finally the record's own contract ({@link RecordValidator}) are
 * checked in that order, and every failure is an {@link InvalidRecordException}. Encoding runs the
 * same validator, so an invalid record never reaches a topic. Thread-safe.
 */
public final class SingleObjectCodec<T> {

  static final int HEADER_LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private final Schema readerSchema;
  private final SchemaCatalog catalog;
  private final RecordValidator<? super T> validator;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private SingleObjectCodec(
      GenericData model,
      Schema readerSchema,
      SchemaCatalog catalog,
      RecordValidator<? super T> validator) {
    this.readerSchema = Objects.requireNonNull(readerSchema, "readerSchema");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.catalog.add(readerSchema);
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    // The decoder asks the catalog for any fingerprint it has not seen, so schemas added to the
    // catalog later are picked up.
    this.decoder = new BinaryMessageDecoder<>(model, readerSchema, catalog);
  }

  /** A codec for a generated record class; its schema is the reader and the written schema. */
  public static <T extends SpecificRecord> SingleObjectCodec<T> forClass(
      Class<T> type, SchemaCatalog catalog, RecordValidator<? super T> validator) {
    SpecificData model = SpecificData.getForClass(type);
    return new SingleObjectCodec<>(model, model.getSchema(type), catalog, validator);
  }

  /** A codec for generic records of any schema, e.g. to read with a schema not compiled in. */
  public static SingleObjectCodec<GenericRecord> generic(
      Schema readerSchema,
      SchemaCatalog catalog,
      RecordValidator<? super GenericRecord> validator) {
    return new SingleObjectCodec<>(GenericData.get(), readerSchema, catalog, validator);
  }

  public Schema readerSchema() {
    return readerSchema;
  }

  public SchemaCatalog catalog() {
    return catalog;
  }

  /** Teaches this codec a writer schema, e.g. that of a newer producer. */
  public void addWriterSchema(Schema writerSchema) {
    catalog.add(writerSchema);
  }

  /**
   * @throws InvalidRecordException if the record breaks its contract or cannot be encoded
   */
  public byte[] encode(T value) {
    Objects.requireNonNull(value, "value");
    validator.validate(value);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(value, out);
    } catch (IOException | RuntimeException e) {
      // Typically a required field left null: Avro names it in its message.
      throw new InvalidRecordException(
          Problem.INVALID_FIELD,
          "cannot encode " + readerSchema.getName() + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  /**
   * @throws InvalidRecordException saying what is wrong with the bytes
   */
  public T decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    Schema writer = writerSchema(bytes);
    BodyScanner.scan(writer, bytes, HEADER_LENGTH);
    T value;
    try {
      value = decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new InvalidRecordException(
          Problem.INCOMPATIBLE_SCHEMA,
          "cannot read "
              + readerSchema.getName()
              + " written with schema "
              + hex(SchemaCatalog.fingerprint(writer))
              + ": "
              + e.getMessage(),
          e);
    }
    validator.validate(value);
    return value;
  }

  private Schema writerSchema(byte[] bytes) {
    if (bytes.length < HEADER_LENGTH) {
      throw new InvalidRecordException(
          Problem.NOT_SINGLE_OBJECT,
          "value has "
              + bytes.length
              + " bytes, fewer than the "
              + HEADER_LENGTH
              + "-byte single-object header of "
              + readerSchema.getName());
    }
    if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
      throw new InvalidRecordException(
          Problem.NOT_SINGLE_OBJECT,
          "value starts with "
              + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, 0, 2)
              + ", not the single-object marker C3 01 (expected an Avro single-object encoded "
              + readerSchema.getName()
              + ")");
    }
    long fingerprint = littleEndianLong(bytes, 2);
    Schema writer = catalog.findByFingerprint(fingerprint);
    if (writer == null) {
      throw new InvalidRecordException(
          Problem.UNKNOWN_SCHEMA,
          "unknown writer schema fingerprint "
              + hex(fingerprint)
              + " for "
              + readerSchema.getName()
              + "; give the reader the writer's .avsc (config "
              + SerdeSettings.EXTRA_SCHEMAS_CONFIG
              + ")");
    }
    if (!sameRecord(writer)) {
      throw new InvalidRecordException(
          Problem.WRONG_TYPE,
          "value is a " + writer.getFullName() + ", expected " + readerSchema.getFullName());
    }
    return writer;
  }

  // Renamed records stay readable when the reader lists the old name as an alias.
  private boolean sameRecord(Schema writer) {
    return writer.getFullName().equals(readerSchema.getFullName())
        || readerSchema.getAliases().contains(writer.getFullName());
  }

  private static long littleEndianLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (bytes[offset + i] & 0xFFL);
    }
    return value;
  }

  /** Fingerprints are shown as the 8 header bytes in wire order, as a hex dump would show them. */
  static String hex(long fingerprint) {
    byte[] wire = new byte[8];
    for (int i = 0; i < 8; i++) {
      wire[i] = (byte) (fingerprint >>> (8 * i));
    }
    return HexFormat.of().withUpperCase().formatHex(wire);
  }
}
