package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.trainer.train.EpochTally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, as a user runs it: {@code java -jar memoscope.jar …}. */
class MemoscopeJarIT {

  @TempDir Path workDir;

  @Test
  void printsItsVersion() throws Exception {
    try (RunningProcess run = RunningProcess.start(workDir, "--version")) {
      assertThat(run.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.process.exitValue()).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> !run.out.isEmpty());
      assertThat(run.out.get(0)).startsWith("memoscope 0.");
    }
  }

  @Test
  void brokerServesAPlainKafkaClientAndStopsCleanlyOnSignal() throws Exception {
    try (RunningProcess broker = RunningProcess.start(workDir, "broker", "--port", "0")) {
      String bootstrap =
          await()
              .atMost(Duration.ofSeconds(90))
              .failFast(() -> !broker.process.isAlive())
              .until(() -> bootstrapLine(broker.out), Optional::isPresent)
              .orElseThrow();

      List<String> received = roundTrip(bootstrap, 100);

      assertThat(received).hasSize(100).startsWith("record-0").endsWith("record-99");
      assertThat(workDir.resolve("data/broker")).isDirectory();
      // Logs reach logback (stderr), formatted by the launcher's logback.xml.
      assertThat(broker.err)
          .anyMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*"));

      broker.signal("INT"); // what Ctrl-C sends
      assertThat(broker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(broker.out).contains("broker stopped"));
      assertThat(broker.process.exitValue())
          .isEqualTo(128 + 2); // terminated by SIGINT, after the hooks ran
    }
  }

  @Test
  void ctrlCDuringAnIngestCommitsNothing() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        RunningProcess ingest =
            RunningProcess.start(
                workDir,
                "ingest",
                "--source",
                "synthetic",
                "--dataset",
                "big",
                "--count",
                "5000000",
                "--bootstrap",
                kafka.bootstrapServers());
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicPartition train = new TopicPartition("samples.big.train", 0);
      // Records are arriving (uncommitted) before we interrupt.
      await()
          .atMost(Duration.ofSeconds(90))
          .failFast(() -> !ingest.process.isAlive())
          .ignoreExceptions()
          .until(() -> endOffset(admin, train, IsolationLevel.READ_UNCOMMITTED) > 1_000);

      ingest.signal("INT");

      assertThat(ingest.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ingest.process.exitValue()).isNotZero();
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(
                  "bootstrap.servers",
                  kafka.bootstrapServers(),
                  "isolation.level",
                  "read_committed"),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer())) {
        consumer.assign(List.of(train));
        consumer.seekToBeginning(List.of(train));
        // The abort marker makes the last stable offset reach the end: nothing was committed.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    consumer.endOffsets(List.of(train)).get(train)
                        == endOffset(admin, train, IsolationLevel.READ_UNCOMMITTED));
        long end = consumer.endOffsets(List.of(train)).get(train);
        List<byte[]> visible = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer
                      .poll(Duration.ofMillis(200))
                      .forEach(record -> visible.add(record.value()));
                  return consumer.position(train) >= end;
                });
        assertThat(visible).isEmpty();
      }
    }
  }

  /**
   * 6,000 samples in batches of 32: 188 steps an epoch, 564 in all. The trainer is killed in epoch
   * 1, then (resumed) in epoch 2, then in epoch 3, each time mid-epoch between checkpoints.
   */
  @Test
  void aTrainerKilledWithSigkillThriceAndResumedEndsWithTheUninterruptedWeights() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
      String bootstrap = kafka.bootstrapServers();
      CliRun ingest =
          CliRun.of(
              Map.of(),
              "ingest",
              "--source",
              "synthetic",
              "--dataset",
              "killable",
              "--count",
              "6000",
              "--test-count",
              "200",
              "--bootstrap",
              bootstrap);
      assertThat(ingest.exitCode()).as(ingest.err()).isZero();

      String uninterrupted = trainToTheEnd(bootstrap, "whole");

      Path checkpoints = workDir.resolve("runs/killed/checkpoints");
      String[] resume = {
        "train",
        "--resume",
        "killed",
        "--summary",
        "killed.json",
        "--checkpoint-every",
        "10",
        "--bootstrap",
        bootstrap
      };
      killAfterCheckpoint(trainArguments(bootstrap, "killed"), checkpoints, 45);
      killAfterCheckpoint(resume, checkpoints, 235);
      killAfterCheckpoint(resume, checkpoints, 425);
      try (RunningProcess resumed = RunningProcess.start(workDir, resume)) {
        assertThat(resumed.process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(resumed.process.exitValue()).as(String.join("\n", resumed.err)).isZero();
      }
      String afterResume =
          new ObjectMapper()
              .readTree(workDir.resolve("killed.json").toFile())
              .get("parametersSha256")
              .asText();
      assertThat(afterResume).isEqualTo(uninterrupted);

      List<TrainingEvent> events = RunEvents.of(bootstrap, "killed");
      assertThat(RunEvents.ofKind(events, EventKind.RESUME)).hasSize(3);
      List<TrainingEvent> epochs = RunEvents.ofKind(events, EventKind.EPOCH);
      EpochTally everySampleOnce = EpochTally.ofRange(6000);
      assertThat(epochs).extracting(TrainingEvent::getEpoch).containsExactly(1, 2, 3);
      assertThat(epochs)
          .allSatisfy(
              epoch -> {
                assertThat(epoch.getMetrics().get("samples")).isEqualTo(6000.0);
                assertThat(epoch.getLabels().get("sample_digest"))
                    .as("epoch %d", epoch.getEpoch())
                    .isEqualTo(everySampleOnce.digestHex());
              });
      assertThat(RunEvents.ofKind(events, EventKind.RUN_FINISHED))
          .singleElement()
          .satisfies(
              finished -> assertThat(finished.getLabels()).containsEntry("outcome", "succeeded"));
    }
  }

  /**
   * Starts a trainer and kills it with SIGKILL once it has checkpointed at or after {@code step}.
   */
  private void killAfterCheckpoint(String[] arguments, Path checkpoints, long step)
      throws Exception {
    try (RunningProcess killed = RunningProcess.start(workDir, arguments)) {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(20))
          .failFast("the trainer ended before it could be killed", () -> !killed.process.isAlive())
          .until(() -> newestCheckpointStep(checkpoints) >= step);
      killed.signal("KILL");
      assertThat(killed.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private String[] trainArguments(String bootstrap, String runId) {
    return new String[] {
      "train",
      "--dataset",
      "killable",
      "--run-id",
      runId,
      "--epochs",
      "3",
      "--batch-size",
      "32",
      "--checkpoint-every",
      "10",
      "--summary",
      runId + ".json",
      "--bootstrap",
      bootstrap
    };
  }

  private String trainToTheEnd(String bootstrap, String runId) throws Exception {
    try (RunningProcess run = RunningProcess.start(workDir, trainArguments(bootstrap, runId))) {
      assertThat(run.process.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(run.process.exitValue()).as(String.join("\n", run.err)).isZero();
    }
    return new ObjectMapper()
        .readTree(workDir.resolve(runId + ".json").toFile())
        .get("parametersSha256")
        .asText();
  }

  /** The step of the newest checkpoint file, or -1. */
  private static long newestCheckpointStep(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return -1;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("step-\\d+\\.ckpt"))
          .mapToLong(n -> Long.parseLong(n.substring(5, n.length() - 5)))
          .max()
          .orElse(-1);
    }
  }

  private static long endOffset(Admin admin, TopicPartition partition, IsolationLevel isolation)
      throws Exception {
    return admin
        .listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
        .all()
        .get()
        .get(partition)
        .offset();
  }

  private static Optional<String> bootstrapLine(List<String> lines) {
    return lines.stream()
        .map(String::trim)
        .filter(line -> line.startsWith("bootstrap:"))
        .map(line -> line.substring("bootstrap:".length()).trim())
        .findFirst();
  }

  /** What any kafka-clients program does: create a topic, produce, consume. */
  private static List<String> roundTrip(String bootstrap, int count) throws Exception {
    String topic = "jar-it";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .describeTopics(List.of(topic))
                      .allTopicNames()
                      .get()
                      .get(topic)
                      .partitions()
                      .stream()
                      .allMatch(p -> p.leader() != null));
    }
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "record-" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", bootstrap),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                }
                return values.size() >= count;
              });
    }
    return values;
  }
}
