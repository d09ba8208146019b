package io.memoscope.ingest;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.ImageSampleSerializer;
import io.memoscope.protocol.serde.ImageSampleValidator;
import io.memoscope.protocol.serde.SerdeSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Turns what a source read into the value of its record: the same image, its class, and its random
 * labels from the protocol's pure function, as an Avro single-object encoded {@link ImageSample}.
 * The bytes are those {@link ImageSampleSerializer} writes for the same sample (SampleEncoderTest
 * compares them), so a re-ingest writes identical records; what differs is the cost per record,
 * which ingest pays once per image:
 *
 * <ul>
 *   <li>one {@link ImageSample} per split, in which only the index, pixels, class and random labels
 *       change, instead of a builder that copies and checks every field of every record;
 *   <li>the schema's generated straight-line encoder ({@link ImageSample#customEncode}) into one
 *       reused buffer, instead of the field-by-field generic writer into a growing stream, and one
 *       copy out at the exact size;
 *   <li>the random-label key's constant part ({@code seed:dataset:split:}) made and checked once;
 *   <li>the protocol's {@link ImageSampleValidator} run on the first record of the split, which
 *       checks every field, and on any later record whose varying fields (index, pixel count,
 *       class) are not plainly valid, so that record fails with the validator's own message.
 * </ul>
 *
 * Not thread-safe: one per split and sending thread.
 */
final class SampleEncoder {

  private static final byte[] HEADER = singleObjectHeader();

  private final ImageSample sample;
  private final ImageSampleValidator validator;
  private final int pixelCount;
  private final int numClasses;
  private final int labelings;
  private final int randomClasses;
  private final String labelKeyPrefix;
  private final Buffer out;
  private final BinaryEncoder encoder;
  private boolean validatedOnce;

  SampleEncoder(IngestConfig config, Split split, ImageShape shape, int numClasses) {
    this.pixelCount = shape.pixelCount();
    this.numClasses = numClasses;
    this.labelings = config.labelings();
    this.randomClasses = config.randomClasses();
    this.sample =
        ImageSample.newBuilder()
            .setDataset(config.dataset())
            .setSplit(split)
            .setIndex(0)
            .setHeight(shape.height())
            .setWidth(shape.width())
            .setChannels(shape.channels())
            .setPixels(ByteBuffer.allocate(0))
            .setLabel(0)
            .setNumClasses(numClasses)
            .setRandomLabels(List.of())
            .setRandomClasses(config.randomClasses())
            .setLabelSeed(config.seed())
            .build();
    // The settings ImageSampleSerializer would get: labels come from the protocol's function, so
    // checking them again is for records from other producers, on the reading side.
    this.validator =
        new ImageSampleValidator(
            SerdeSettings.fromConfig(Map.of(SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG, false))
                .imageLimits(),
            false);
    this.labelKeyPrefix = config.seed() + ":" + config.dataset() + ":" + split.name() + ":";
    String protocolKey = RandomLabels.key(config.seed(), config.dataset(), split, 0, 0);
    if (!protocolKey.equals(labelKeyPrefix + "0:0")) {
      throw new IllegalStateException(
          "the random-label key is "
              + protocolKey
              + ", not "
              + labelKeyPrefix
              + "0:0: SampleEncoder no longer matches RandomLabels.key");
    }
    this.out =
        new Buffer(HEADER.length + pixelCount + 2 * config.dataset().length() + 64 + 5 * labelings);
    this.encoder = EncoderFactory.get().directBinaryEncoder(out, null);
  }

  /**
   * @param index the sample's index on the topic (the source's index, shifted when appending)
   * @throws io.memoscope.protocol.serde.InvalidRecordException if the sample breaks its contract
   */
  byte[] encode(long index, RawSample raw) {
    sample.setIndex(index);
    sample.setPixels(ByteBuffer.wrap(raw.pixels()));
    sample.setLabel(raw.label());
    sample.setRandomLabels(randomLabels(index));
    if (!validatedOnce || !plainlyValid(index, raw)) {
      validator.validate(sample);
      validatedOnce = true;
    }
    out.reset();
    out.write(HEADER, 0, HEADER.length);
    try {
      sample.customEncode(encoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // Buffer never throws
    }
    return out.toByteArray();
  }

  /** {@link RandomLabels#labels}, with the key's constant part made once. */
  List<Integer> randomLabels(long index) {
    if (labelings == 1) {
      return List.of(randomLabel(index, 0));
    }
    Integer[] labels = new Integer[labelings];
    for (int k = 0; k < labelings; k++) {
      labels[k] = randomLabel(index, k);
    }
    return Arrays.asList(labels);
  }

  private int randomLabel(long index, int k) {
    return (int)
        Long.remainderUnsigned(
            RandomLabels.hash64(labelKeyPrefix + index + ":" + k), randomClasses);
  }

  // The fields that vary per record; random labels are in range by construction.
  private boolean plainlyValid(long index, RawSample raw) {
    return index >= 0
        && raw.pixels().length == pixelCount
        && raw.label() >= 0
        && raw.label() < numClasses;
  }

  /**
   * {@code C3 01}, then the schema's CRC-64-AVRO fingerprint, little-endian (Avro single-object
   * encoding).
   */
  private static byte[] singleObjectHeader() {
    long fingerprint = SchemaNormalization.parsingFingerprint64(ImageSample.getClassSchema());
    byte[] header = new byte[10];
    header[0] = (byte) 0xC3;
    header[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return header;
  }

  /** A reusable, unsynchronized byte sink. */
  private static final class Buffer extends OutputStream {

    private byte[] bytes;
    private int size;

    Buffer(int capacity) {
      bytes = new byte[capacity];
    }

    void reset() {
      size = 0;
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
      }
    }
  }
}
