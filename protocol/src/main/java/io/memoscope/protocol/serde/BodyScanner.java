package io.memoscope.protocol.serde;

import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Walks an Avro binary body against its writer schema without building anything, to prove it is
 * well formed before the real decoder allocates from its length prefixes.
 *
 * <p>Avro's decoder allocates a string, byte array or list as large as the length it reads, so ten
 * corrupt bytes can ask for gigabytes. Here every length is checked against the bytes that are
 * actually there, every enum and union index against its schema, and nothing may follow the body.
 */
final class BodyScanner {

  // Deeper nesting than any memoscope schema needs, shallow enough to never overflow the stack on
  // a recursive writer schema.
  private static final int MAX_DEPTH = 32;

  private final Schema writer;
  private final byte[] bytes;
  private final BinaryDecoder in;
  private Location current;

  private BodyScanner(Schema writer, byte[] bytes, int offset) {
    this.writer = writer;
    this.bytes = bytes;
    this.in = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
  }

  /**
   * @throws InvalidRecordException with problem CORRUPT, naming where the body went wrong
   */
  static void scan(Schema writer, byte[] bytes, int offset) {
    new BodyScanner(writer, bytes, offset).scan();
  }

  private void scan() {
    Location root = new Location(null, writer.getName());
    try {
      visit(writer, root, 0);
      if (!in.isEnd()) {
        throw corrupt("unexpected bytes after the end of the " + writer.getName() + " body", null);
      }
    } catch (EOFException e) {
      throw corrupt("truncated: the value ends inside " + current, e);
    } catch (IOException | AvroRuntimeException e) {
      throw corrupt("malformed value at " + current + ": " + e.getMessage(), e);
    }
  }

  private void visit(Schema schema, Location at, int depth) throws IOException {
    current = at;
    if (depth > MAX_DEPTH) {
      throw corrupt("nesting deeper than " + MAX_DEPTH + " at " + at, null);
    }
    switch (schema.getType()) {
      case NULL -> {}
      case BOOLEAN -> in.readBoolean();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case STRING, BYTES -> skipLengthPrefixed(at);
      case FIXED -> in.skipFixed(schema.getFixedSize());
      case ENUM -> {
        int index = in.readEnum();
        if (index < 0 || index >= schema.getEnumSymbols().size()) {
          throw corrupt(
              "enum index "
                  + index
                  + " out of range [0, "
                  + schema.getEnumSymbols().size()
                  + ") at "
                  + at,
              null);
        }
      }
      case UNION -> {
        int index = in.readIndex();
        if (index < 0 || index >= schema.getTypes().size()) {
          throw corrupt(
              "union branch "
                  + index
                  + " out of range [0, "
                  + schema.getTypes().size()
                  + ") at "
                  + at,
              null);
        }
        visit(schema.getTypes().get(index), at, depth + 1);
      }
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          visit(field.schema(), new Location(at, field.name()), depth + 1);
        }
      }
      case ARRAY -> {
        long index = 0;
        for (long block = checkedCount(in.readArrayStart(), at);
            block > 0;
            block = checkedCount(in.arrayNext(), at)) {
          for (long i = 0; i < block; i++, index++) {
            visit(schema.getElementType(), new Location(at, "[" + index + "]"), depth + 1);
          }
        }
      }
      case MAP -> {
        for (long block = checkedCount(in.readMapStart(), at);
            block > 0;
            block = checkedCount(in.mapNext(), at)) {
          for (long i = 0; i < block; i++) {
            skipLengthPrefixed(at);
            visit(schema.getValueType(), new Location(at, "{value}"), depth + 1);
          }
        }
      }
      default -> throw corrupt("unsupported Avro type " + schema.getType() + " at " + at, null);
    }
  }

  private void skipLengthPrefixed(Location at) throws IOException {
    long length = in.readLong();
    if (length < 0 || length > bytes.length) {
      throw corrupt(
          "length " + length + " at " + at + " does not fit in a " + bytes.length + "-byte value",
          null);
    }
    in.skipFixed((int) length);
  }

  // Avro allocates a list as large as its block count, and a block of zero-size items (nulls)
  // costs no bytes, so the count is bounded by the value size rather than by what follows.
  private long checkedCount(long count, Location at) {
    if (count < 0 || count > bytes.length) {
      throw corrupt(
          "item count "
              + count
              + " at "
              + at
              + " does not fit in a "
              + bytes.length
              + "-byte value",
          null);
    }
    return count;
  }

  private InvalidRecordException corrupt(String message, Throwable cause) {
    return new InvalidRecordException(Problem.CORRUPT, message, cause);
  }

  /** Where in the record the scanner is, rendered only when something is wrong. */
  private record Location(Location parent, String name) {
    @Override
    public String toString() {
      if (parent == null) {
        return name;
      }
      return name.startsWith("[") ? parent + name : parent + "." + name;
    }
  }
}
