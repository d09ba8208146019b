package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not a well-formed value: every case is one InvalidRecordException with a reason.
 */
class InvalidInputTest {

  private static final String TOPIC = "t";

  private final ImageSampleDeserializer deserializer = new ImageSampleDeserializer();
  private final byte[] valid = new ImageSampleSerializer().serialize(TOPIC, Records.imageSample());

  @Test
  void emptyValue() {
    assertRejected(new byte[0], Problem.NOT_SINGLE_OBJECT)
        .hasMessageContaining("value has 0 bytes, fewer than the 10-byte single-object header");
  }

  @Test
  void jsonInsteadOfAvro() {
    byte[] json = "{\"dataset\":\"mnist\",\"index\":1}".getBytes(StandardCharsets.UTF_8);

    assertRejected(json, Problem.NOT_SINGLE_OBJECT)
        .hasMessageContaining("starts with 7B 22, not the single-object marker C3 01");
  }

  @Test
  void rawAvroWithoutHeader() {
    byte[] raw = Arrays.copyOfRange(valid, SingleObjectCodec.HEADER_LENGTH, valid.length);

    assertRejected(raw, Problem.NOT_SINGLE_OBJECT);
  }

  @Test
  void unknownFingerprint() {
    byte[] bytes = valid.clone();
    bytes[5] ^= 0x10;

    assertRejected(bytes, Problem.UNKNOWN_SCHEMA)
        .hasMessageContaining("unknown writer schema fingerprint");
  }

  @Test
  void anotherRecordType() {
    byte[] event = new TrainingEventSerializer().serialize(TOPIC, Records.trainingEvent());

    assertRejected(event, Problem.WRONG_TYPE)
        .hasMessage(
            "value is a "
                + TrainingEvent.getClassSchema().getFullName()
                + ", expected "
                + ImageSample.getClassSchema().getFullName());
  }

  @Test
  void everyTruncationIsCorrupt() {
    for (int length = SingleObjectCodec.HEADER_LENGTH; length < valid.length; length++) {
      byte[] truncated = Arrays.copyOf(valid, length);
      assertRejected(truncated, Problem.CORRUPT);
    }
    assertRejected(Arrays.copyOf(valid, valid.length - 1), Problem.CORRUPT)
        .hasMessageContaining("truncated")
        .hasMessageContaining("ImageSample.labelSeed");
  }

  @Test
  void trailingBytes() {
    byte[] longer = Arrays.copyOf(valid, valid.length + 1);

    assertRejected(longer, Problem.CORRUPT)
        .hasMessageContaining("unexpected bytes after the end of the ImageSample body");
  }

  @Test
  void hugeStringLengthFailsWithoutAllocating() {
    // dataset length claims 2^62 bytes.
    byte[] bytes = withBody(w -> w.writeLong(1L << 62));

    assertRejected(bytes, Problem.CORRUPT)
        .hasMessageContaining("length 4611686018427387904 at ImageSample.dataset");
  }

  @Test
  void negativeLength() {
    byte[] bytes = withBody(w -> w.writeLong(-5));

    assertRejected(bytes, Problem.CORRUPT).hasMessageContaining("length -5 at ImageSample.dataset");
  }

  @Test
  void hugeArrayCountFailsWithoutAllocating() {
    byte[] bytes =
        withBody(
            w -> {
              writeValidPrefixUpToRandomLabels(w);
              w.writeLong(Integer.MAX_VALUE - 8);
            });

    assertRejected(bytes, Problem.CORRUPT)
        .hasMessageContaining("item count 2147483639 at ImageSample.randomLabels");
  }

  @Test
  void enumIndexOutOfRange() {
    byte[] bytes =
        withBody(
            w -> {
              w.writeString("fashion-mnist");
              w.writeEnum(2);
            });

    assertRejected(bytes, Problem.CORRUPT)
        .hasMessageContaining("enum index 2 out of range [0, 2) at ImageSample.split");
  }

  @Test
  void unionBranchOutOfRange() {
    byte[] event = new TrainingEventSerializer().serialize(TOPIC, Records.trainingEvent());
    // The optional message is the last field: its union index is the last byte (0 = null).
    event[event.length - 1] = 4; // zig-zag 2

    assertThatThrownBy(() -> new TrainingEventDeserializer().deserialize(TOPIC, event))
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CORRUPT))
        .hasMessageContaining("union branch 2 out of range [0, 2) at TrainingEvent.message");
  }

  @Test
  void overlongVarint() {
    byte[] bytes =
        withBody(w -> w.writeFixed(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));

    assertRejected(bytes, Problem.CORRUPT)
        .hasMessageContaining("malformed value at ImageSample.dataset");
  }

  @Test
  void messagesAreOneLine() {
    byte[] bytes = withBody(w -> w.writeLong(1L << 62));

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes)).message().doesNotContain("\n");
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      byte[] bytes, Problem problem) {
    return assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.problem()).isEqualTo(problem));
  }

  /** The ImageSample header followed by a hand-written body. */
  private byte[] withBody(BodyWriter body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(valid, 0, SingleObjectCodec.HEADER_LENGTH);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      body.write(encoder);
      encoder.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static void writeValidPrefixUpToRandomLabels(BinaryEncoder w) throws Exception {
    w.writeString("fashion-mnist");
    w.writeEnum(0);
    w.writeLong(0);
    w.writeInt(1);
    w.writeInt(1);
    w.writeInt(1);
    w.writeBytes(new byte[1]);
    w.writeInt(0);
    w.writeInt(10);
  }

  @FunctionalInterface
  private interface BodyWriter {
    void write(BinaryEncoder encoder) throws Exception;
  }
}
