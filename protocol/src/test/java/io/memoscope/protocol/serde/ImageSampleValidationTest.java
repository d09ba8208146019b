package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ImageSamples that decode fine but break the contract. Each is written with Avro's own encoder
 * (which checks nothing), so the deserializer alone must catch it; the serializer must refuse to
 * write it too.
 */
class ImageSampleValidationTest {

  private static final String TOPIC = "t";

  static Stream<Arguments> invalidSamples() {
    return Stream.of(
        invalid(
            "pixels one byte short",
            b -> b.setPixels(Records.pixels(783)),
            "pixels has 783 bytes, expected height*width*channels = 28*28*1 = 784"),
        invalid(
            "pixels one byte long",
            b -> b.setPixels(Records.pixels(785)),
            "pixels has 785 bytes, expected height*width*channels = 28*28*1 = 784"),
        invalid(
            "zero height",
            b -> b.setHeight(0).setPixels(Records.pixels(0)),
            "height 0 is not >= 1"),
        invalid("negative width", b -> b.setWidth(-1), "width -1 is not >= 1"),
        invalid(
            "zero channels",
            b -> b.setChannels(0).setPixels(Records.pixels(0)),
            "channels 0 is not >= 1"),
        invalid(
            "too high",
            b -> b.setHeight(4097).setPixels(Records.pixels(4097 * 28)),
            "height 4097 exceeds the limit 4096 (config memoscope.image.max.height)"),
        invalid(
            "too wide",
            b -> b.setWidth(4097).setPixels(Records.pixels(28 * 4097)),
            "width 4097 exceeds the limit 4096 (config memoscope.image.max.width)"),
        invalid(
            "too many channels",
            b -> b.setChannels(5).setPixels(Records.pixels(28 * 28 * 5)),
            "channels 5 exceeds the limit 4 (config memoscope.image.max.channels)"),
        invalid(
            "label = numClasses", b -> b.setLabel(10), "label 10 is outside [0, numClasses = 10)"),
        invalid("negative label", b -> b.setLabel(-1), "label -1 is outside [0, numClasses = 10)"),
        invalid("no classes", b -> b.setNumClasses(0), "numClasses 0 is not >= 1"),
        invalid("no labelings", b -> b.setRandomLabels(List.of()), "randomLabels is empty"),
        invalid(
            "random label = randomClasses",
            b -> b.setRandomLabels(List.of(10)),
            "randomLabels[0] = 10 is outside [0, randomClasses = 10)"),
        invalid(
            "negative random label",
            b -> b.setRandomLabels(List.of(firstLabel(), -1)),
            "randomLabels[1] = -1 is outside [0, randomClasses = 10)"),
        invalid("no random classes", b -> b.setRandomClasses(0), "randomClasses 0 is not >= 1"),
        invalid(
            "random label not from the function",
            b -> b.setRandomLabels(List.of(wrongFirstLabel())),
            "randomLabels[0] = "
                + wrongFirstLabel()
                + " but the random-label function gives "
                + firstLabel()
                + " for key 42:fashion-mnist:train:17:0 and n = 10"),
        invalid(
            "dataset with a dot",
            b -> b.setDataset("fashion.mnist"),
            "dataset 'fashion.mnist' is not a valid data set name"),
        invalid("negative index", b -> b.setIndex(-1), "index -1 is negative"));
  }

  private static Arguments invalid(
      String name, UnaryOperator<ImageSample.Builder> change, String message) {
    return Arguments.of(
        name, change.apply(ImageSample.newBuilder(Records.imageSample())).build(), message);
  }

  private static int firstLabel() {
    return RandomLabels.label(Records.SEED, "fashion-mnist", Split.train, 17, 0, 10);
  }

  private static int wrongFirstLabel() {
    return (firstLabel() + 1) % 10;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSamples")
  void deserializerRejects(String name, ImageSample sample, String message) throws Exception {
    byte[] bytes = toArray(ImageSample.getEncoder().encode(sample));

    assertThatThrownBy(() -> new ImageSampleDeserializer().deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            InvalidRecordException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_FIELD))
        .hasMessageStartingWith("ImageSample ")
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSamples")
  void serializerRefuses(String name, ImageSample sample, String message) {
    assertThatThrownBy(() -> new ImageSampleSerializer().serialize(TOPIC, sample))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining(message);
  }

  @Test
  void serializerRefusesAMissingRequiredField() {
    ImageSample sample = Records.imageSample();
    sample.setPixels(null);

    assertThatThrownBy(() -> new ImageSampleSerializer().serialize(TOPIC, sample))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("pixels are missing");
  }

  @Test
  void limitsAreConfigurable() throws Exception {
    byte[] bytes = toArray(ImageSample.getEncoder().encode(Records.imageSample(28, 28, 1)));
    ImageSampleDeserializer small = new ImageSampleDeserializer();
    small.configure(Map.of(ImageLimits.MAX_HEIGHT_CONFIG, "16"), false);
    ImageSampleDeserializer large = new ImageSampleDeserializer();
    large.configure(Map.of(ImageLimits.MAX_CHANNELS_CONFIG, 8), false);
    byte[] eightChannels = toArray(ImageSample.getEncoder().encode(Records.imageSample(2, 2, 8)));

    assertThatThrownBy(() -> small.deserialize(TOPIC, bytes))
        .hasMessageContaining("height 28 exceeds the limit 16 (config memoscope.image.max.height)");
    assertThat(large.deserialize(TOPIC, eightChannels)).isEqualTo(Records.imageSample(2, 2, 8));
  }

  @Test
  void randomLabelVerificationCanBeSwitchedOff() throws Exception {
    ImageSample foreign =
        ImageSample.newBuilder(Records.imageSample())
            .setRandomLabels(List.of(wrongFirstLabel()))
            .build();
    byte[] bytes = toArray(ImageSample.getEncoder().encode(foreign));
    ImageSampleDeserializer lenient = new ImageSampleDeserializer();
    lenient.configure(Map.of(SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG, "false"), false);

    assertThat(lenient.deserialize(TOPIC, bytes)).isEqualTo(foreign);
  }

  @Test
  void pixelCountIsComputedWithoutIntOverflow() {
    // 65536 * 65536 * 1 overflows int to 0; a zero-length pixel array must not pass.
    ImageSampleValidator validator =
        new ImageSampleValidator(new ImageLimits(65536, 65536, 4), true);
    ImageSample sample =
        ImageSample.newBuilder(Records.imageSample())
            .setHeight(65536)
            .setWidth(65536)
            .setPixels(ByteBuffer.allocate(0))
            .build();

    assertThatThrownBy(() -> validator.validate(sample))
        .hasMessageContaining("expected height*width*channels = " + "65536*65536*1 = 4294967296");
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
