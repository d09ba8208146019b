package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class RoundTripTest {

  /**
   * A 2x2 grey ImageSample (dataset demo, train, index 3, pixels 00 01 FE FF, label 1 of 2,
   * labelings of seed 7 with n = 10, K = 2), encoded by hand in Python from the Avro specification:
   * zig-zag varints, the CRC-64-AVRO of the schema's Parsing Canonical Form. Also printed in
   * docs/schema.md for third-party producers to check their output against.
   */
  static final String GOLDEN_IMAGE_SAMPLE =
      "C3015F1EE3D90C63A50D0864656D6F0006040402080001FEFF0204040A0000140E";

  private static final String TOPIC = "t";

  @Test
  void imageSampleRoundTrips() {
    assertRoundTrip(MemoscopeSerdes.imageSample(), Records.imageSample());
    assertRoundTrip(MemoscopeSerdes.imageSample(), Records.imageSample(32, 32, 3));
    assertRoundTrip(MemoscopeSerdes.imageSample(), Records.imageSample(1, 1, 4));
  }

  @Test
  void datasetInfoRoundTrips() {
    assertRoundTrip(MemoscopeSerdes.datasetInfo(), Records.datasetInfo());
  }

  @Test
  void trainingEventRoundTripsWithAndWithoutOptionalMessage() {
    TrainingEvent plain = Records.trainingEvent();
    TrainingEvent annotated =
        TrainingEvent.newBuilder(plain)
            .setKind(EventKind.RESUME)
            .setMetrics(Map.of())
            .setLabels(Map.of())
            .setMessage("resumed at epoch 3, batch 120")
            .build();

    assertRoundTrip(MemoscopeSerdes.trainingEvent(), plain);
    assertRoundTrip(MemoscopeSerdes.trainingEvent(), annotated);
    assertThat(roundTrip(MemoscopeSerdes.trainingEvent(), plain).getMetrics().get("loss")).isNaN();
  }

  @Test
  void runManifestRoundTrips() {
    assertRoundTrip(MemoscopeSerdes.runManifest(), Records.runManifest());
  }

  @Test
  void timestampsKeepMillisecondPrecision() {
    Instant at = Instant.ofEpochMilli(1_760_000_000_789L);
    TrainingEvent event =
        TrainingEvent.newBuilder(Records.trainingEvent()).setTimestamp(at).build();

    assertThat(roundTrip(MemoscopeSerdes.trainingEvent(), event).getTimestamp()).isEqualTo(at);
  }

  @Test
  void nullIsATombstoneBothWays() {
    try (Serde<DatasetInfo> serde = MemoscopeSerdes.datasetInfo()) {
      assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
      assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }
  }

  @Test
  void valuesAreSingleObjectEncodedWithTheSchemaFingerprint() {
    byte[] bytes =
        MemoscopeSerdes.imageSample().serializer().serialize(TOPIC, Records.imageSample());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint =
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(SchemaCatalog.fingerprint(ImageSample.getClassSchema()));
  }

  @Test
  void interoperatesWithAvrosOwnSingleObjectEncoding() throws Exception {
    ImageSample sample = Records.imageSample();
    byte[] ours = MemoscopeSerdes.imageSample().serializer().serialize(TOPIC, sample);
    ByteBuffer avros = ImageSample.getEncoder().encode(sample);

    assertThat(ImageSample.getDecoder().decode(ours)).isEqualTo(sample);
    assertThat(MemoscopeSerdes.imageSample().deserializer().deserialize(TOPIC, toArray(avros)))
        .isEqualTo(sample);
  }

  @Test
  void matchesTheGoldenBytesComputedOutsideJava() {
    ImageSample sample =
        ImageSample.newBuilder()
            .setDataset("demo")
            .setSplit(Split.train)
            .setIndex(3)
            .setHeight(2)
            .setWidth(2)
            .setChannels(1)
            .setPixels(ByteBuffer.wrap(new byte[] {0, 1, (byte) 254, (byte) 255}))
            .setLabel(1)
            .setNumClasses(2)
            .setRandomLabels(List.of(5, 0))
            .setRandomClasses(10)
            .setLabelSeed(7)
            .build();
    byte[] golden = HexFormat.of().parseHex(GOLDEN_IMAGE_SAMPLE);

    assertThat(
            HexFormat.of()
                .withUpperCase()
                .formatHex(MemoscopeSerdes.imageSample().serializer().serialize(TOPIC, sample)))
        .isEqualTo(GOLDEN_IMAGE_SAMPLE);
    assertThat(MemoscopeSerdes.imageSample().deserializer().deserialize(TOPIC, golden))
        .isEqualTo(sample);
  }

  @Test
  void keysAreKafkasLongAndStringEncodings() {
    assertThat(MemoscopeSerdes.sampleKey().serializer().serialize(TOPIC, 17L))
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 17);
    assertThat(MemoscopeSerdes.sampleKey().serializer().serialize(TOPIC, 0x0102030405060708L))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(MemoscopeSerdes.nameKey().serializer().serialize(TOPIC, "run-1"))
        .isEqualTo("run-1".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void serdeClassesHaveNoArgConstructorsForKafkaConfig() throws Exception {
    for (Class<?> type :
        List.of(
            ImageSampleSerializer.class,
            ImageSampleDeserializer.class,
            ImageSampleSerde.class,
            DatasetInfoSerializer.class,
            DatasetInfoDeserializer.class,
            DatasetInfoSerde.class,
            TrainingEventSerializer.class,
            TrainingEventDeserializer.class,
            TrainingEventSerde.class,
            RunManifestSerializer.class,
            RunManifestDeserializer.class,
            RunManifestSerde.class)) {
      assertThat(type.getConstructor().newInstance()).isNotNull();
    }
  }

  @Test
  void codecsWorkWithoutKafka() {
    SingleObjectCodec<RunManifest> codec = Codecs.runManifest(SerdeSettings.defaults());
    RunManifest manifest = Records.runManifest();

    assertThat(codec.decode(codec.encode(manifest))).isEqualTo(manifest);
  }

  static <T> T roundTrip(Serde<T> serde, T value) {
    byte[] bytes = serde.serializer().serialize(TOPIC, value);
    return serde.deserializer().deserialize(TOPIC, bytes);
  }

  private static <T> void assertRoundTrip(Serde<T> serde, T value) {
    assertThat(roundTrip(serde, value)).isEqualTo(value);
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
