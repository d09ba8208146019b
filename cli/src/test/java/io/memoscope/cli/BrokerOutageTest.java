package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import io.memoscope.trainer.train.TrainingListener;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that goes away mid-epoch and comes back on the same port and directory: the run waits
 * and finishes.
 */
class BrokerOutageTest {

  private static final int STOP_AT_STEP = 10;

  @TempDir Path dir;

  @Test
  void aRunWaitsOutABrokerOutageAndTrainsEveryEpochFully() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedKafkaConfig brokerConfig =
        EmbeddedKafkaConfig.defaults().withPort(port).withPersistentDataDir(dir.resolve("kafka"));
    EmbeddedKafka[] broker = {new EmbeddedKafka(brokerConfig).start()};
    String bootstrap = broker[0].bootstrapServers();
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "outage",
            "--count",
            "4000",
            "--test-count",
            "50",
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            bootstrap);
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();

    AtomicLong lastStep = new AtomicLong();
    AtomicLong lastStepNanos = new AtomicLong(System.nanoTime());
    CountDownLatch brokerStopped = new CountDownLatch(1);
    TrainingListener steps =
        new TrainingListener() {
          @Override
          public void onStep(StepMetrics metrics) {
            lastStep.set(metrics.step());
            if (metrics.step() == STOP_AT_STEP) {
              // Hold training here until the broker is gone: however fast this machine is, the
              // reader is then
              // at most its bounded buffers ahead, well short of the epoch's end, and must wait for
              // the broker.
              awaitUninterruptibly(brokerStopped);
            }
            lastStepNanos.set(System.nanoTime());
          }
        };
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of(
                "epochs",
                "2",
                "batch-size",
                "32",
                "model.width-scale",
                "0.5",
                "shuffle-buffer",
                "256"));
    RunOptions options =
        new RunOptions(
            "outage-run",
            new RunMode.Fresh("outage", config),
            dir.resolve("run"),
            "test",
            new RunTuning(1, 1000, 2, Duration.ofSeconds(5), 1000, 2));
    CompletableFuture<RunSummary> run =
        CompletableFuture.supplyAsync(
            () ->
                new StreamingRun(
                        Map.of(
                            "bootstrap.servers",
                            bootstrap,
                            "request.timeout.ms",
                            3000,
                            "default.api.timeout.ms",
                            3000,
                            // Small fetches, so the consumer has not already buffered the epoch
                            // when the broker goes.
                            "max.partition.fetch.bytes",
                            16_384,
                            "fetch.max.bytes",
                            16_384),
                        TopicSettings.DEFAULTS,
                        options,
                        steps)
                    .run());

    await()
        .atMost(Duration.ofSeconds(120))
        .failFast(run::isDone)
        .until(() -> lastStep.get() == STOP_AT_STEP);
    broker[0].close();
    brokerStopped.countDown();
    // Training drains what the reader had buffered, then starves; the broker stays away until it
    // has been
    // starved longer than the reader's stall threshold (3 s), so the wait must have been reported.
    await()
        .atMost(Duration.ofSeconds(120))
        .failFast(run::isDone)
        .until(
            () ->
                lastStep.get() > STOP_AT_STEP
                    && System.nanoTime() - lastStepNanos.get() > TimeUnit.SECONDS.toNanos(5));
    long stoppedAt = lastStep.get();
    broker[0] = new EmbeddedKafka(brokerConfig).start();

    RunSummary summary = run.get(300, TimeUnit.SECONDS);
    List<String> waits = brokerWaitStates(bootstrap);
    broker[0].close();
    assertThat(waits).as("BROKER_WAIT events").containsSubsequence("waiting", "recovered");
    assertThat(stoppedAt).as("the step training starved at").isBetween(STOP_AT_STEP + 1L, 124L);
    assertThat(summary.samplesPerEpoch()).isEqualTo(4000);
    assertThat(summary.steps()).isEqualTo(2 * 125);
    assertThat(lastStep.get()).isEqualTo(250);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> brokerWaitStates(String bootstrap) {
    return RunEvents.ofKind(RunEvents.of(bootstrap, "outage-run"), EventKind.BROKER_WAIT).stream()
        .map(event -> event.getLabels().get("state"))
        .toList();
  }
}
