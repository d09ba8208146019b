package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoscope train} from a real broker: manifest, events, summary, determinism, dead letters.
 */
class TrainCommandTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir static Path dir;

  @BeforeAll
  static void ingest() {
    for (String dataset : List.of("train-syn", "train-dlq")) {
      CliRun run =
          CliRun.of(
              Map.of(),
              "ingest",
              "--source",
              "synthetic",
              "--dataset",
              dataset,
              "--count",
              "240",
              "--test-count",
              "40",
              "--height",
              "12",
              "--width",
              "12",
              "--bootstrap",
              kafka.bootstrapServers());
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
  }

  private CliRun train(String dataset, String runId) {
    return CliRun.of(
        Map.of(),
        "train",
        "--dataset",
        dataset,
        "--run-id",
        runId,
        "--epochs",
        "2",
        "--batch-size",
        "32",
        "--log-every",
        "4",
        "--set",
        "model.width-scale=0.5",
        "--checkpoint-dir",
        dir.resolve("runs").toString(),
        "--summary",
        dir.resolve(runId + ".json").toString(),
        "--bootstrap",
        kafka.bootstrapServers());
  }

  @Test
  void twoRunsOfTheSameConfigEndBitIdenticalAndPublishTheirEvents() throws Exception {
    CliRun first = train("train-syn", "first");
    CliRun second = train("train-syn", "second");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode a = new ObjectMapper().readTree(dir.resolve("first.json").toFile());
    JsonNode b = new ObjectMapper().readTree(dir.resolve("second.json").toFile());
    assertThat(a.get("parametersSha256").asText())
        .hasSize(64)
        .isEqualTo(b.get("parametersSha256").asText());
    assertThat(a.get("samplesPerEpoch").asLong()).isEqualTo(240);
    assertThat(a.get("steps").asLong()).isEqualTo(16);
    assertThat(a.get("finalMetrics").get("accuracy_test").asDouble()).isBetween(0.0, 1.0);
    assertThat(first.out()).startsWith("run first: 2 epochs, 16 steps, 240 samples per epoch");
    assertThat(dir.resolve("runs/first/manifest.avro")).isRegularFile();

    List<TrainingEvent> events = events("first");
    assertThat(events)
        .extracting(TrainingEvent::getSequence)
        .containsExactlyElementsOf(LongStream.range(0, events.size()).boxed().toList());
    assertThat(events)
        .extracting(TrainingEvent::getKind)
        .contains(EventKind.RUN_STARTED, EventKind.STEP, EventKind.EVAL, EventKind.RUN_FINISHED);
    assertThat(events.stream().filter(e -> e.getKind() == EventKind.EPOCH)).hasSize(2);
    assertThat(events.get(events.size() - 1).getKind()).isEqualTo(EventKind.RUN_FINISHED);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.getKind()).isEqualTo(EventKind.EVAL);
              assertThat(e.getLabels()).containsEntry("head", "penultimate/0");
              assertThat(e.getMetrics())
                  .containsKeys("random_label_accuracy", "memorization_index");
            });
    // Events of two runs with one config carry the same values (timestamps and timings aside).
    List<TrainingEvent> again = events("second");
    assertThat(again).hasSameSizeAs(events);
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getKind() != EventKind.RUN_FINISHED
          && events.get(i).getKind() != EventKind.RUN_STARTED) {
        assertThat(untimed(again.get(i))).as("event %d", i).isEqualTo(untimed(events.get(i)));
      }
    }
    assertThat(events.get(1).getMetrics())
        .as("a step event")
        .containsKeys("learning_rate", "samples_per_second", "consumer_lag");
  }

  /** An event's metrics without those that depend on timing. */
  private static Map<String, Double> untimed(TrainingEvent event) {
    Map<String, Double> metrics = new HashMap<>(event.getMetrics());
    metrics.keySet().removeAll(List.of("samples_per_second", "consumer_lag"));
    return metrics;
  }

  @Test
  void garbageInTheTrainTopicGoesToTheDeadLetterTopicAndTheRunCompletes() throws Exception {
    String topic = Topics.samples("train-dlq", Split.train);
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic, new byte[] {1}, "not an image".getBytes())).get();
      raw.send(new ProducerRecord<>(topic, new byte[] {2}, new byte[900_000])).get();
    }

    CliRun run = train("train-dlq", "with-garbage");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("with-garbage.json").toFile());
    // 242 records in the range, 2 of them garbage: every epoch trains the other 240, and each bad
    // record is dead-lettered once however many epochs read it.
    assertThat(summary.get("samplesPerEpoch").asLong()).isEqualTo(240);
    assertThat(summary.get("deadLetters").asLong()).isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(Topics.deadLetter(topic));
    assertThat(dead).hasSize(2);
    List<TrainingEvent> deadLetterEvents =
        events("with-garbage").stream().filter(e -> e.getKind() == EventKind.DEAD_LETTER).toList();
    assertThat(deadLetterEvents)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getLabels()).containsEntry("topic", topic));
    assertThat(new String(dead.get(0).headers().lastHeader("memoscope.reason").value()))
        .isNotBlank();
  }

  /**
   * The failed run's events cannot go out either; they must not hold the command past its
   * --timeout.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anUnreachableClusterFailsWithinTheTimeoutInOneLine() {
    CliRun run =
        CliRun.of(
            Map.of(),
            "train",
            "--dataset",
            "x",
            "--bootstrap",
            "127.0.0.1:1",
            "--timeout",
            "2s",
            "--checkpoint-dir",
            dir.resolve("unreachable").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("memoscope train: cannot read memoscope.datasets at 127.0.0.1:1:")
        .hasLineCount(1);
  }

  @Test
  void replayReportsAMatchAndAChangedCopyReportsTheDifference() {
    assertThat(train("train-syn", "original").exitCode()).isZero();
    String runs = dir.resolve("runs").toString();

    CliRun same =
        CliRun.of(
            Map.of(),
            "replay",
            "original",
            "--checkpoint-dir",
            runs,
            "--bootstrap",
            kafka.bootstrapServers());
    CliRun changed =
        CliRun.of(
            Map.of(),
            "replay",
            "original",
            "--run-id",
            "original-lr",
            "--set",
            "optimizer.learning-rate=0.01",
            "--checkpoint-dir",
            runs,
            "--bootstrap",
            kafka.bootstrapServers());

    assertThat(same.exitCode()).as(same.err()).isZero();
    assertThat(same.out())
        .startsWith("replay original-replay of original: match (parameters sha256 ");
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.out())
        .startsWith("replay original-lr of original: differs")
        .contains("config optimizer.learning-rate: ")
        .contains("parameters sha256: ");
    assertThat(CliRun.of(Map.of(), "runs", "--bootstrap", kafka.bootstrapServers()).out())
        .contains("original ", "original-replay ", "original-lr ");
  }

  private List<TrainingEvent> events(String runId) {
    return RunEvents.of(kafka.bootstrapServers(), runId);
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
