package io.memoscope.trainer.stream;

import static io.memoscope.trainer.stream.TinyStreamedDataset.TIMEOUT;
import static io.memoscope.trainer.stream.TinyStreamedDataset.config;
import static io.memoscope.trainer.stream.TinyStreamedDataset.events;
import static io.memoscope.trainer.stream.TinyStreamedDataset.finished;
import static io.memoscope.trainer.stream.TinyStreamedDataset.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.serde.TrainingEventSerializer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.train.DivergedException;
import io.memoscope.trainer.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a streaming run ends, on a real broker. An {@link Error} on each of its background threads
 * (prefetch, event sender, dead-letter sender): the run fails promptly in one line naming the
 * thread and the cause, publishes RUN_FINISHED with outcome failed, and leaves a checkpoint a
 * resume continues from, to the same parameters as a run that never failed. A learning rate that
 * diverges within a few steps: a DIVERGED event naming the step and the term, then RUN_FINISHED
 * with outcome diverged; with on-divergence continue it trains to the end and says so once. A hang
 * fails the test.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StreamingRunOutcomeTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir static Path runs;

  private static final String DATASET = "failing";
  private static final String WITH_GARBAGE = "failing-dlq";
  private static final String[] TOO_FAST = {
    "optimizer.learning-rate", "1e12", "optimizer.momentum", "0"
  };

  @BeforeAll
  static void ingest() throws Exception {
    TinyStreamedDataset.ingest(client(), DATASET);
    TinyStreamedDataset.ingest(client(), WITH_GARBAGE);
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(client(), new ByteArraySerializer(), new ByteArraySerializer())) {
      raw.send(
              new ProducerRecord<>(
                  Topics.samples(WITH_GARBAGE, Split.train), new byte[] {1}, new byte[4096]))
          .get();
    }
  }

  @Test
  void anErrorOnThePrefetchThreadFailsTheRunAndItsResumeEndsAsARunThatNeverFailed() {
    TrainingConfig config = config(3);
    RunSummary whole = run(options("whole", DATASET, config, runs, false), RunParts.KAFKA);
    // Epoch 3 is read ahead while epoch 2 trains; its reader fails once the epoch-2 checkpoint
    // (step 8) is written.
    Path epochTwoCheckpoint =
        runs.resolve("broken").resolve("checkpoints").resolve(CheckpointStore.fileName(8));
    RunParts outOfMemory =
        new RunParts() {
          @Override
          void reading(ConsumerRecord<byte[], byte[]> record) {
            if (Thread.currentThread().getName().equals("memoscope-prefetch-epoch-3")) {
              await().atMost(TIMEOUT).until(() -> Files.exists(epochTwoCheckpoint));
              throw new OutOfMemoryError("injected by the test");
            }
          }
        };

    assertThatThrownBy(() -> run(options("broken", DATASET, config, runs, false), outOfMemory))
        .isInstanceOf(BackgroundThreadException.class)
        .hasMessage(
            "memoscope-prefetch-epoch-3 failed: java.lang.OutOfMemoryError: injected by the test");

    TrainingEvent last = finished(client(), "broken");
    assertThat(last.getLabels()).containsEntry(EventLabels.OUTCOME, EventLabels.OUTCOME_FAILED);
    assertThat(last.getMessage())
        .isEqualTo(
            "memoscope-prefetch-epoch-3 failed: java.lang.OutOfMemoryError: injected"
                + " by the test");
    assertThat(new CheckpointStore(runs.resolve("broken"), 3).newestValid())
        .hasValueSatisfying(checkpoint -> assertThat(checkpoint.position().step()).isEqualTo(8));

    RunSummary resumed = run(options("broken", DATASET, config, runs, true), RunParts.KAFKA);

    assertThat(resumed.steps()).isEqualTo(12);
    assertThat(resumed.parametersSha256()).isEqualTo(whole.parametersSha256());
    assertThat(finished(client(), "broken").getLabels())
        .containsEntry(EventLabels.OUTCOME, EventLabels.OUTCOME_SUCCEEDED);
  }

  @Test
  void anErrorOnTheEventSenderFailsTheRunWithinAStepAndItsFailedEventStillGoesOut() {
    RunParts failingSixthEvent =
        new RunParts() {
          @Override
          <K, V> Producer<K, V> producer(
              Map<String, Object> config, Serializer<K> keys, Serializer<V> values) {
            return super.producer(
                config,
                keys,
                values instanceof TrainingEventSerializer ? failingOnCall(6, values) : values);
          }
        };

    // Two events a step (the run's and its head's): the sixth is step 3's.
    assertThatThrownBy(
            () -> run(options("silenced", DATASET, config(3), runs, false), failingSixthEvent))
        .isInstanceOf(BackgroundThreadException.class)
        .hasMessage(
            "memoscope-events-silenced failed: java.lang.OutOfMemoryError: injected by the test");

    TrainingEvent last = finished(client(), "silenced");
    assertThat(last.getLabels()).containsEntry(EventLabels.OUTCOME, EventLabels.OUTCOME_FAILED);
    assertThat(last.getStep()).as("failed within a step of the failure").isBetween(3L, 4L);
    assertThat(last.getMetrics()).containsEntry(EventMetricNames.PUBLISH_FAILURES, 1.0);
  }

  @Test
  void aDeadLetterTheBrokerRefusesFailsTheRunAndIsNotCounted() {
    // The garbage record is 4 KiB, more than this producer may send: the broker never gets it.
    RunParts smallRequests =
        new RunParts() {
          @Override
          <K, V> Producer<K, V> producer(
              Map<String, Object> config, Serializer<K> keys, Serializer<V> values) {
            Map<String, Object> limited = new HashMap<>(config);
            if (values instanceof ByteArraySerializer) {
              limited.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024);
            }
            return super.producer(limited, keys, values);
          }
        };
    String topic = Topics.samples(WITH_GARBAGE, Split.train);

    assertThatThrownBy(
            () -> run(options("lost-letter", WITH_GARBAGE, config(2), runs, false), smallRequests))
        .isInstanceOf(BackgroundThreadException.class)
        .hasMessageStartingWith(
            "dead-letter sender ("
                + topic
                + "-0@64 to "
                + topic
                + ".dlq) failed:"
                + " org.apache.kafka.common.errors.RecordTooLargeException: ")
        .hasMessageNotContaining("\n");

    TrainingEvent last = finished(client(), "lost-letter");
    assertThat(last.getLabels()).containsEntry(EventLabels.OUTCOME, EventLabels.OUTCOME_FAILED);
    assertThat(last.getMetrics())
        .containsEntry("dead_letters", 0.0)
        .containsEntry(EventMetricNames.PUBLISH_FAILURES, 1.0);
    try (Admin admin = Admin.create(client())) {
      assertThat(
              CommittedRecords.count(
                  client(), RunManifests.ranges(admin, Topics.deadLetter(topic), TIMEOUT)))
          .isZero();
    }
  }

  /**
   * Records the broker refuses are counted, every one, and do not end anything: only a thread's own
   * failure does.
   */
  @Test
  void everyRecordTheBrokerRefusesIsCounted() throws Exception {
    try (Admin admin = Admin.create(client())) {
      admin.createTopics(List.of(new NewTopic("refusals", 1, (short) 1))).all().get();
    }
    Map<String, Object> config = new HashMap<>(client());
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024);
    BackgroundFailures failures = new BackgroundFailures();
    BackgroundSender<byte[], byte[]> sender =
        new BackgroundSender<>(
            new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
            10,
            "refused-sender",
            failures);

    for (int size : new int[] {4096, 10, 4096, 4096}) {
      sender.send(new ProducerRecord<>("refusals", new byte[size]));
    }
    sender.close();

    assertThat(failures.publishFailures()).isEqualTo(3);
    assertThat(failures.failed()).isFalse();
    try (Admin admin = Admin.create(client())) {
      assertThat(CommittedRecords.count(client(), RunManifests.ranges(admin, "refusals", TIMEOUT)))
          .isEqualTo(1);
    }
  }

  @Test
  void aDivergedRunPublishesWhereAndWhatThenFinishesDiverged() {
    assertThatThrownBy(() -> diverging("exploding", "stop"))
        .isInstanceOf(DivergedException.class)
        .hasMessageStartingWith("diverged at step ");

    List<TrainingEvent> diverged =
        events(client(), "exploding").stream()
            .filter(e -> e.getKind() == EventKind.DIVERGED)
            .toList();
    assertThat(diverged)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLabels()).containsKey(EventLabels.TERM);
              assertThat(event.getStep()).isBetween(1L, 4L);
              assertThat(event.getMessage()).startsWith("step " + event.getStep() + ": ");
            });
    TrainingEvent last = finished(client(), "exploding");
    assertThat(last.getLabels()).containsEntry(EventLabels.OUTCOME, EventLabels.OUTCOME_DIVERGED);
    assertThat(last.getMessage())
        .startsWith("diverged at step " + diverged.get(0).getStep() + ": ");
  }

  @Test
  void withContinueItTrainsToTheEndAndSaysSoOnce() {
    RunSummary summary = diverging("exploding-on", "continue");

    assertThat(summary.steps()).isEqualTo(8);
    assertThat(events(client(), "exploding-on"))
        .filteredOn(e -> e.getKind() == EventKind.DIVERGED)
        .hasSize(1);
    assertThat(finished(client(), "exploding-on").getLabels())
        .containsEntry(EventLabels.OUTCOME, EventLabels.OUTCOME_SUCCEEDED);
  }

  private static RunSummary diverging(String runId, String onDivergence) {
    String[] settings = {
      TOO_FAST[0], TOO_FAST[1], TOO_FAST[2], TOO_FAST[3], "on-divergence", onDivergence
    };
    return new StreamingRun(
            client(),
            TopicSettings.DEFAULTS,
            options(runId, DATASET, config(2, settings), runs, false),
            TrainingListener.NONE)
        .run();
  }

  private static RunSummary run(RunOptions options, RunParts parts) {
    return new StreamingRun(client(), TopicSettings.DEFAULTS, options, TrainingListener.NONE, parts)
        .run();
  }

  /** {@code serializer}, but its {@code n}-th call throws an {@link OutOfMemoryError}. */
  private static <V> Serializer<V> failingOnCall(int n, Serializer<V> serializer) {
    AtomicInteger calls = new AtomicInteger();
    return (topic, value) -> {
      if (calls.incrementAndGet() == n) {
        throw new OutOfMemoryError("injected by the test");
      }
      return serializer.serialize(topic, value);
    };
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
