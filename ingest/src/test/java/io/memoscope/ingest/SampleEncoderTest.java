package io.memoscope.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import io.memoscope.protocol.serde.ImageSampleSerializer;
import io.memoscope.protocol.serde.InvalidRecordException;
import io.memoscope.protocol.serde.SerdeSettings;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SampleEncoder writes exactly what the protocol's serializer writes for the same sample. */
class SampleEncoderTest {

  /** The record as ingest built it before SampleEncoder: a builder, then ImageSampleSerializer. */
  private static byte[] reference(
      IngestConfig config,
      Split split,
      ImageShape shape,
      int numClasses,
      long index,
      RawSample raw) {
    ImageSampleSerializer serializer = new ImageSampleSerializer();
    serializer.configure(Map.of(SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG, false), false);
    return serializer.serialize(
        "t",
        ImageSample.newBuilder()
            .setDataset(config.dataset())
            .setSplit(split)
            .setIndex(index)
            .setHeight(shape.height())
            .setWidth(shape.width())
            .setChannels(shape.channels())
            .setPixels(ByteBuffer.wrap(raw.pixels()))
            .setLabel(raw.label())
            .setNumClasses(numClasses)
            .setRandomLabels(
                RandomLabels.labels(
                    config.seed(),
                    config.dataset(),
                    split,
                    index,
                    config.labelings(),
                    config.randomClasses()))
            .setRandomClasses(config.randomClasses())
            .setLabelSeed(config.seed())
            .build());
  }

  @Test
  void writesTheSerializersBytesForEveryConfiguration() {
    SplittableRandom random = new SplittableRandom(7);
    List<IngestConfig> configs =
        List.of(
            IngestConfig.defaults("fashion-mnist"),
            IngestConfig.defaults("k3").withLabels(3, 7, -123_456_789L),
            IngestConfig.defaults("a").withLabels(5, 1, Long.MIN_VALUE),
            IngestConfig.defaults("long_name-" + "x".repeat(54))
                .withLabels(2, 1000, Long.MAX_VALUE));
    List<ImageShape> shapes =
        List.of(
            new ImageShape(28, 28, 1),
            new ImageShape(1, 1, 1),
            new ImageShape(32, 32, 3),
            new ImageShape(200, 300, 3));
    for (IngestConfig config : configs) {
      for (ImageShape shape : shapes) {
        for (Split split : Split.values()) {
          int numClasses = 1 + random.nextInt(300);
          SampleEncoder encoder = new SampleEncoder(config, split, shape, numClasses);
          // Indices near 0, where varints are short, and far beyond an int, as when appending.
          long[] indices = {
            0, 1, 63, 64, 127, 128, 8191, 8192, 59_999, 1L << 31, (1L << 40) + 3, Long.MAX_VALUE
          };
          for (long index : indices) {
            byte[] pixels = new byte[shape.pixelCount()];
            random.nextBytes(pixels);
            RawSample raw = new RawSample(index, random.nextInt(numClasses), pixels);
            assertThat(encoder.encode(index, raw))
                .as("%s %s %s index %d", config.dataset(), shape, split, index)
                .isEqualTo(reference(config, split, shape, numClasses, index, raw));
          }
        }
      }
    }
  }

  @Test
  void randomLabelsAreTheProtocolsFunction() {
    IngestConfig config = IngestConfig.defaults("labels").withLabels(4, 13, -1);
    for (Split split : Split.values()) {
      SampleEncoder encoder = new SampleEncoder(config, split, new ImageShape(1, 1, 1), 2);
      for (long index = 0; index < 2_000; index++) {
        assertThat(encoder.randomLabels(index))
            .isEqualTo(RandomLabels.labels(-1, "labels", split, index, 4, 13));
      }
    }
  }

  @Test
  void decodesWithTheProtocolsDeserializer() {
    IngestConfig config = IngestConfig.defaults("decoded").withLabels(2, 5, 9);
    byte[] pixels = {1, 2, 3, 4};
    byte[] bytes =
        new SampleEncoder(config, Split.test, new ImageShape(2, 2, 1), 3)
            .encode(41, new RawSample(40, 2, pixels));

    ImageSample sample = new ImageSampleDeserializer().deserialize("samples.decoded.test", bytes);

    assertThat(sample.getIndex()).isEqualTo(41);
    assertThat(sample.getSplit()).isEqualTo(Split.test);
    assertThat(sample.getLabel()).isEqualTo(2);
    assertThat(sample.getRandomLabels())
        .isEqualTo(RandomLabels.labels(9, "decoded", Split.test, 41, 2, 5));
  }

  @Test
  void anInvalidSampleFailsWithTheValidatorsMessageEvenAfterValidOnes() {
    IngestConfig config = IngestConfig.defaults("bad");
    ImageShape shape = new ImageShape(2, 2, 1);
    SampleEncoder encoder = new SampleEncoder(config, Split.train, shape, 3);
    encoder.encode(0, new RawSample(0, 0, new byte[4]));
    encoder.encode(1, new RawSample(1, 2, new byte[4]));

    List<RawSample> bad =
        List.of(
            new RawSample(2, 0, new byte[3]),
            new RawSample(3, 3, new byte[4]),
            new RawSample(4, -1, new byte[4]));
    for (RawSample raw : bad) {
      String expected = messageOf(() -> reference(config, Split.train, shape, 3, raw.index(), raw));
      assertThatThrownBy(() -> encoder.encode(raw.index(), raw))
          .isInstanceOf(InvalidRecordException.class)
          .hasMessage(expected);
    }
    // A bad record does not spoil the encoder for the next good one.
    RawSample good = new RawSample(5, 1, new byte[] {9, 8, 7, 6});
    assertThat(encoder.encode(5, good))
        .isEqualTo(reference(config, Split.train, shape, 3, 5, good));
  }

  @Test
  void theFirstSampleIsCheckedInFull() {
    // 10 classes of the data set but label 12: invalid from the first record on.
    SampleEncoder encoder =
        new SampleEncoder(IngestConfig.defaults("first"), Split.train, new ImageShape(1, 1, 1), 10);
    assertThatThrownBy(() -> encoder.encode(0, new RawSample(0, 12, new byte[1])))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("label 12 is outside [0, numClasses = 10)");
  }

  private static String messageOf(Runnable r) {
    try {
      r.run();
    } catch (InvalidRecordException e) {
      return e.getMessage();
    }
    throw new AssertionError("the reference serializer accepted the sample");
  }
}
