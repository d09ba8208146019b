package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DatasetInfo, TrainingEvent and RunManifest values that break their contract, on read and on
 * write.
 */
class OtherRecordsValidationTest {

  private static final String TOPIC = "t";

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        dataset("empty class list", b -> b.setClassNames(List.of()), "classNames is empty"),
        dataset("name with a colon", b -> b.setName("a:b"), "name is not a valid data set name"),
        dataset("zero width", b -> b.setWidth(0), "width 0 is outside [1, 4096]"),
        dataset("negative count", b -> b.setTestCount(-1), "counts must be >= 0"),
        dataset("no random classes", b -> b.setRandomClasses(0), "randomClasses 0 is not >= 1"),
        dataset("no labelings", b -> b.setLabelings(0), "labelings 0 is not >= 1"),
        event("run id with a dot", b -> b.setRunId("run.1"), "runId is not a valid run id"),
        event("negative sequence", b -> b.setSequence(-1), "sequence -1 is negative"),
        event("negative epoch", b -> b.setEpoch(-1), "epoch -1 is negative"),
        event("negative step", b -> b.setStep(-5), "step -5 is negative"),
        event("unnamed metric", b -> b.setMetrics(Map.of("", 1.0)), "metrics has an empty name"),
        manifest("no topics", b -> b.setTopics(List.of()), "topics is empty"),
        manifest(
            "end before start",
            b -> b.setTopics(List.of(new TopicRange("samples.x.train", 0, 10L, 9L))),
            "samples.x.train/0: offsets [10, 9) are not a range with 0 <= startOffset <= endOffset"),
        manifest(
            "negative start",
            b -> b.setTopics(List.of(new TopicRange("samples.x.train", 0, -1L, 9L))),
            "offsets [-1, 9)"),
        manifest(
            "negative partition",
            b -> b.setTopics(List.of(new TopicRange("samples.x.train", -1, 0L, 9L))),
            "partition is negative"),
        manifest(
            "illegal topic",
            b -> b.setTopics(List.of(new TopicRange("samples x", 0, 0L, 9L))),
            "topic 'samples x' is not a legal Kafka topic name"),
        manifest(
            "partition twice",
            b ->
                b.setTopics(
                    List.of(
                        new TopicRange("samples.x.train", 0, 0L, 9L),
                        new TopicRange("samples.x.train", 0, 9L, 19L))),
            "partition samples.x.train/0 is listed twice"),
        manifest("blank code version", b -> b.setCodeVersion(" "), "codeVersion is empty"),
        manifest(
            "invalid dataset", b -> b.setDataset("X"), "dataset 'X' is not a valid data set name"),
        manifest("invalid run id", b -> b.setRunId(""), "runId is not a valid run id"));
  }

  private static Arguments dataset(
      String name, UnaryOperator<DatasetInfo.Builder> change, String message) {
    DatasetInfo value = change.apply(DatasetInfo.newBuilder(Records.datasetInfo())).build();
    return Arguments.of(
        name,
        value,
        encodeUnchecked(value),
        new DatasetInfoSerializer(),
        new DatasetInfoDeserializer(),
        message);
  }

  private static Arguments event(
      String name, UnaryOperator<TrainingEvent.Builder> change, String message) {
    TrainingEvent value = change.apply(TrainingEvent.newBuilder(Records.trainingEvent())).build();
    return Arguments.of(
        name,
        value,
        encodeUnchecked(value),
        new TrainingEventSerializer(),
        new TrainingEventDeserializer(),
        message);
  }

  private static Arguments manifest(
      String name, UnaryOperator<RunManifest.Builder> change, String message) {
    RunManifest value = change.apply(RunManifest.newBuilder(Records.runManifest())).build();
    return Arguments.of(
        name,
        value,
        encodeUnchecked(value),
        new RunManifestSerializer(),
        new RunManifestDeserializer(),
        message);
  }

  /** Avro's own single-object encoder, which does not validate. */
  private static byte[] encodeUnchecked(SpecificRecord value) {
    try {
      ByteBuffer buffer =
          new BinaryMessageEncoder<SpecificRecord>(
                  SpecificData.getForClass(value.getClass()), value.getSchema())
              .encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRecords")
  <T> void deserializerRejects(
      String name,
      T value,
      byte[] bytes,
      Serializer<T> serializer,
      Deserializer<T> deserializer,
      String message) {
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            InvalidRecordException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_FIELD))
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRecords")
  <T> void serializerRefuses(
      String name,
      T value,
      byte[] bytes,
      Serializer<T> serializer,
      Deserializer<T> deserializer,
      String message) {
    assertThatThrownBy(() -> serializer.serialize(TOPIC, value))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining(message);
  }
}
