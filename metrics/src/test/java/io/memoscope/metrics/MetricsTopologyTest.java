package io.memoscope.metrics;

import static io.memoscope.metrics.Events.event;
import static io.memoscope.metrics.Events.head;
import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology alone, driven by TopologyTestDriver: what events do to /metrics. */
class MetricsTopologyTest {

  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  static final Duration RETENTION = Duration.ofMinutes(10);

  @TempDir Path stateDir;

  PrometheusMeterRegistry registry;
  LiveRuns live;
  TopologyTestDriver driver;
  TestInputTopic<String, TrainingEvent> events;
  TestInputTopic<String, byte[]> rawEvents;
  TestInputTopic<String, RunManifest> runs;

  @BeforeEach
  void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    live = new LiveRuns(registry);
    driver = TopologyDrivers.start(live, stateDir, RETENTION, T0);
    events =
        driver.createInputTopic(
            Topics.EVENTS, new StringSerializer(), MemoscopeSerdes.trainingEvent().serializer());
    rawEvents =
        driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
    runs =
        driver.createInputTopic(
            Topics.RUNS, new StringSerializer(), MemoscopeSerdes.runManifest().serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    registry.close();
  }

  void send(TrainingEvent event) {
    events.pipeInput(event.getRunId(), event, event.getTimestamp());
  }

  Optional<Double> metric(String name, Map<String, String> labels) {
    return PrometheusText.value(registry.scrape(), name, labels);
  }

  @Test
  void eventsBecomeTheContractsSeriesWithTheirLatestValues() {
    runs.pipeInput("r1", Events.manifest("r1", "fashion"));
    send(
        event(
            "r1",
            0,
            T0,
            EventKind.RUN_STARTED,
            0,
            0,
            Map.of("random_classes", 10.0, "random_label_chance", 0.1),
            Map.of()));
    send(
        event(
            "r1",
            1,
            T0.plusSeconds(1),
            EventKind.STEP,
            0,
            10,
            Map.of(
                "loss_class",
                2.0,
                "accuracy_train_running",
                0.3,
                "learning_rate",
                0.01,
                "samples_per_second",
                500.0,
                "consumer_lag",
                42.0,
                "some_future_metric",
                1.0),
            Map.of("unknown_label", "x")));
    send(
        event(
            "r1",
            2,
            T0.plusSeconds(1),
            EventKind.STEP,
            0,
            10,
            Map.of(
                "loss_random",
                2.3,
                "loss_regularizer",
                0.1,
                "lambda",
                0.5,
                "random_label_accuracy_running",
                0.12),
            head("penultimate", "0")));
    send(
        event(
            "r1",
            3,
            T0.plusSeconds(1),
            EventKind.STEP,
            0,
            10,
            Map.of("update_ratio", 0.001),
            Map.of("layer", "conv1")));
    send(
        event(
            "r1",
            4,
            T0.plusSeconds(2),
            EventKind.STEP,
            0,
            20,
            Map.of("loss_class", 1.5),
            Map.of()));
    send(
        event(
            "r1",
            5,
            T0.plusSeconds(3),
            EventKind.EVAL,
            0,
            20,
            Map.of("accuracy_train", 0.8, "accuracy_test", 0.7, "generalization_gap", 0.1),
            Map.of()));
    send(
        event(
            "r1",
            6,
            T0.plusSeconds(3),
            EventKind.EVAL,
            0,
            20,
            Map.of(
                "random_label_accuracy",
                0.2,
                "memorization_index",
                0.11,
                "random_label_accuracy_test",
                0.1),
            head("penultimate", "0")));
    send(
        event(
            "r1",
            7,
            T0.plusSeconds(4),
            EventKind.EPOCH,
            0,
            20,
            Map.of("samples", 1000.0),
            Map.of("sample_digest", "ab")));
    send(event("r1", 8, T0.plusSeconds(5), EventKind.CHECKPOINT, 1, 20, Map.of(), Map.of()));
    send(event("r1", 9, T0.plusSeconds(6), EventKind.CHECKPOINT, 1, 25, Map.of(), Map.of()));
    send(
        event(
            "r1",
            10,
            T0.plusSeconds(7),
            EventKind.RESUME,
            1,
            25,
            Map.of("epoch", 1.0, "batches_done", 3.0),
            Map.of()));
    send(
        event(
            "r1",
            11,
            T0.plusSeconds(8),
            EventKind.BROKER_WAIT,
            1,
            25,
            Map.of("attempt", 1.0),
            Map.of("state", "waiting")));
    send(
        event(
            "r1",
            12,
            T0.plusSeconds(9),
            EventKind.BROKER_WAIT,
            1,
            25,
            Map.of("attempts", 3.0),
            Map.of("state", "recovered")));
    send(
        event(
            "r1",
            13,
            T0.plusSeconds(9),
            EventKind.DEAD_LETTER,
            1,
            25,
            Map.of("dead_letters", 3.0),
            Map.of("topic", "t.dlq")));

    Map<String, String> run = Map.of("run", "r1", "dataset", "fashion");
    Map<String, String> h =
        Map.of(
            "run",
            "r1",
            "dataset",
            "fashion",
            "head",
            "penultimate/0",
            "tap",
            "penultimate",
            "labeling",
            "0");
    assertThat(metric("memoscope_random_label_chance", run)).contains(0.1);
    assertThat(metric("memoscope_loss", Map.of("run", "r1", "term", "class", "head", "")))
        .contains(1.5);
    assertThat(metric("memoscope_loss", with(h, "term", "random"))).contains(2.3);
    assertThat(metric("memoscope_loss", with(h, "term", "regularizer"))).contains(0.1);
    assertThat(metric("memoscope_lambda", h)).contains(0.5);
    assertThat(
            metric("memoscope_random_label_accuracy", with(h, "mode", "running", "split", "train")))
        .contains(0.12);
    assertThat(
            metric(
                "memoscope_random_label_accuracy", with(h, "mode", "evaluated", "split", "train")))
        .contains(0.2);
    assertThat(
            metric(
                "memoscope_random_label_accuracy", with(h, "mode", "evaluated", "split", "test")))
        .contains(0.1);
    assertThat(metric("memoscope_memorization_index", h)).contains(0.11);
    assertThat(metric("memoscope_accuracy", with(run, "split", "train", "mode", "running")))
        .contains(0.3);
    assertThat(metric("memoscope_accuracy", with(run, "split", "train", "mode", "evaluated")))
        .contains(0.8);
    assertThat(metric("memoscope_accuracy", with(run, "split", "test", "mode", "evaluated")))
        .contains(0.7);
    assertThat(metric("memoscope_generalization_gap", run)).contains(0.1);
    assertThat(metric("memoscope_learning_rate", run)).contains(0.01);
    assertThat(metric("memoscope_samples_per_second", run)).contains(500.0);
    assertThat(metric("memoscope_consumer_lag_records", run)).contains(42.0);
    assertThat(metric("memoscope_update_ratio", with(run, "layer", "conv1"))).contains(0.001);
    assertThat(metric("memoscope_epoch_samples", run)).contains(1000.0);
    assertThat(metric("memoscope_epoch", run)).contains(1.0);
    assertThat(metric("memoscope_step", run)).contains(25.0);
    assertThat(metric("memoscope_checkpoints_total", run)).contains(2.0);
    assertThat(metric("memoscope_resumes_total", run)).contains(1.0);
    assertThat(metric("memoscope_broker_waits_total", run)).contains(1.0);
    assertThat(metric("memoscope_run_dead_letters_total", run)).contains(3.0);
    assertThat(metric("memoscope_run_finished", run)).contains(0.0);
    assertThat(
            metric(
                "memoscope_run_info",
                Map.of(
                    "run",
                    "r1",
                    "dataset",
                    "fashion",
                    "model",
                    "small-cnn",
                    "optimizer",
                    "sgd",
                    "code_version",
                    "test")))
        .contains(1.0);
    assertThat(metric("memoscope_events_total", Map.of("kind", "STEP"))).contains(4.0);
    assertThat(metric("memoscope_events_total", Map.of("kind", "CHECKPOINT"))).contains(2.0);
    // Only the contract's labels reach Prometheus.
    assertThat(registry.scrape())
        .doesNotContain("unknown_label")
        .doesNotContain("some_future_metric")
        .doesNotContain("sample_digest");
  }

  @Test
  void alreadyAppliedSequencesAreDroppedAndCounted() {
    send(event("r1", 0, T0, EventKind.STEP, 0, 1, Map.of("loss_class", 2.0), Map.of()));
    send(event("r1", 1, T0, EventKind.CHECKPOINT, 0, 1, Map.of(), Map.of()));
    send(event("r1", 2, T0, EventKind.STEP, 0, 2, Map.of("loss_class", 1.0), Map.of()));
    // A resumed trainer re-emits sequences 1 and 2 with other values: neither may count.
    send(event("r1", 1, T0.plusSeconds(5), EventKind.CHECKPOINT, 0, 1, Map.of(), Map.of()));
    send(
        event(
            "r1", 2, T0.plusSeconds(5), EventKind.STEP, 0, 2, Map.of("loss_class", 9.0), Map.of()));
    send(
        event(
            "r1", 3, T0.plusSeconds(6), EventKind.STEP, 0, 3, Map.of("loss_class", 0.5), Map.of()));

    Map<String, String> run = Map.of("run", "r1");
    assertThat(metric("memoscope_checkpoints_total", run)).contains(1.0);
    assertThat(metric("memoscope_loss", with(run, "term", "class"))).contains(0.5);
    assertThat(metric("memoscope_step", run)).contains(3.0);
    assertThat(metric("memoscope_events_duplicate_total", Map.of())).contains(2.0);
    assertThat(metric("memoscope_events_total", Map.of("kind", "STEP"))).contains(3.0);
    assertThat(live.run("r1").orElseThrow().meta().lastSequence()).isEqualTo(3);
  }

  @Test
  void aRunCountsFromZeroAndAResumeCountsThoughItsSequenceWasSeen() {
    send(
        event(
            "r1",
            0,
            T0,
            EventKind.RUN_STARTED,
            1,
            0,
            Map.of("random_label_chance", 0.1),
            Map.of()));
    Map<String, String> run = Map.of("run", "r1");
    for (String counter :
        List.of(
            "memoscope_checkpoints_total",
            "memoscope_resumes_total",
            "memoscope_broker_waits_total",
            "memoscope_run_dead_letters_total",
            "memoscope_run_finished")) {
      assertThat(metric(counter, run)).as(counter).contains(0.0);
    }
    send(event("r1", 1, T0, EventKind.CHECKPOINT, 1, 10, Map.of(), Map.of()));
    send(event("r1", 2, T0, EventKind.STEP, 1, 11, Map.of("loss_class", 2.0), Map.of()));
    send(event("r1", 3, T0, EventKind.RUN_FINISHED, 1, 11, Map.of(), Map.of("outcome", "failed")));
    // Killed after its checkpoint at sequence 1, resumed: RESUME takes sequence 1 again.
    send(
        event(
            "r1",
            1,
            T0.plusSeconds(5),
            EventKind.RESUME,
            1,
            10,
            Map.of("epoch", 1.0, "batches_done", 10.0),
            Map.of()));
    send(event("r1", 2, T0.plusSeconds(5), EventKind.RUN_STARTED, 1, 10, Map.of(), Map.of()));

    assertThat(metric("memoscope_resumes_total", run)).contains(1.0);
    assertThat(metric("memoscope_checkpoints_total", run)).contains(1.0);
    assertThat(metric("memoscope_step", run)).as("where the run resumed").contains(10.0);
    assertThat(live.run("r1").orElseThrow().meta().lastSequence()).isEqualTo(3);
    assertThat(live.run("r1").orElseThrow().meta().finished())
        .as("resumed after failing")
        .isFalse();
    assertThat(metric("memoscope_events_duplicate_total", Map.of())).contains(1.0);
  }

  /**
   * A diverged run's losses are NaN and show nowhere; its flags and counters show what happened.
   */
  @Test
  void aDivergedRunIsFlaggedAndItsPublishFailuresCountedUntilItResumes() {
    Map<String, String> run = Map.of("run", "nan");
    send(event("nan", 0, T0, EventKind.RUN_STARTED, 1, 0, Map.of(), Map.of()));
    for (String flag :
        List.of(
            "memoscope_run_diverged", "memoscope_run_failed", "memoscope_publish_failures_total")) {
      assertThat(metric(flag, run)).as(flag).contains(0.0);
    }
    send(
        event(
            "nan",
            1,
            T0,
            EventKind.STEP,
            1,
            3,
            Map.of("loss_class", 2.5, EventMetricNames.PUBLISH_FAILURES, 2.0),
            Map.of()));
    send(
        event("nan", 2, T0, EventKind.DIVERGED, 1, 4, Map.of(), Map.of(EventLabels.TERM, "class")));
    send(
        event(
            "nan",
            3,
            T0,
            EventKind.RUN_FINISHED,
            1,
            4,
            Map.of(EventMetricNames.PUBLISH_FAILURES, 3.0),
            Map.of(EventLabels.OUTCOME, EventLabels.OUTCOME_DIVERGED)));

    assertThat(metric("memoscope_run_diverged", run)).contains(1.0);
    assertThat(metric("memoscope_run_failed", run)).contains(1.0);
    assertThat(metric("memoscope_run_finished", run)).contains(1.0);
    assertThat(metric("memoscope_publish_failures_total", run)).contains(3.0);
    assertThat(metric("memoscope_step", run)).as("the step it diverged at").contains(4.0);
    assertThat(metric("memoscope_events_total", Map.of("kind", "DIVERGED"))).contains(1.0);

    send(
        event(
            "nan",
            2,
            T0.plusSeconds(5),
            EventKind.RESUME,
            1,
            2,
            Map.of("epoch", 1.0, "batches_done", 2.0),
            Map.of()));

    assertThat(metric("memoscope_run_diverged", run))
        .as("resumed from a finite checkpoint")
        .contains(0.0);
    assertThat(metric("memoscope_run_failed", run)).contains(0.0);
    assertThat(metric("memoscope_publish_failures_total", run))
        .as("a counter never decreases")
        .contains(3.0);
  }

  @Test
  void undecodableRecordsAndNonFiniteValuesAreCountedAndSkipped() {
    rawEvents.pipeInput("r1", "not avro at all".getBytes(StandardCharsets.UTF_8));
    send(
        event(
            "r1",
            0,
            T0,
            EventKind.STEP,
            0,
            1,
            Map.of(
                "loss_class",
                Double.NaN,
                "learning_rate",
                Double.POSITIVE_INFINITY,
                "samples_per_second",
                100.0),
            Map.of()));
    rawEvents.pipeInput("r1", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    send(event("r1", 1, T0, EventKind.STEP, 0, 2, Map.of("loss_class", 1.25), Map.of()));

    assertThat(metric("memoscope_events_invalid_total", Map.of("reason", "not_single_object")))
        .contains(1.0);
    assertThat(metric("memoscope_events_invalid_total", Map.of("reason", "unknown_schema")))
        .contains(1.0);
    assertThat(
            metric(
                "memoscope_events_invalid_total",
                Map.of("reason", InvalidRecords.NON_FINITE_VALUE)))
        .contains(1.0);
    Map<String, String> run = Map.of("run", "r1");
    assertThat(metric("memoscope_samples_per_second", run)).contains(100.0);
    assertThat(metric("memoscope_learning_rate", run)).isEmpty();
    assertThat(metric("memoscope_loss", with(run, "term", "class"))).contains(1.25);
    assertThat(registry.scrape()).doesNotContain("NaN").doesNotContain("Inf");
  }

  @Test
  void aManifestArrivingAfterTheEventsLabelsTheRunWithItsDataset() {
    send(event("late", 0, T0, EventKind.STEP, 0, 1, Map.of("loss_class", 2.0), Map.of()));
    assertThat(metric("memoscope_loss", Map.of("run", "late", "dataset", ""))).contains(2.0);

    runs.pipeInput("late", Events.manifest("late", "cifar"));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    assertThat(metric("memoscope_loss", Map.of("run", "late", "dataset", "cifar"))).contains(2.0);
    assertThat(metric("memoscope_loss", Map.of("run", "late", "dataset", ""))).isEmpty();
    assertThat(
            metric(
                "memoscope_run_info",
                Map.of("run", "late", "dataset", "cifar", "model", "small-cnn")))
        .contains(1.0);
  }

  @Test
  void finishedRunsExpireAfterTheRetentionAndStayExpired() {
    send(event("done", 0, T0, EventKind.STEP, 0, 1, Map.of("loss_class", 2.0), Map.of()));
    send(
        event(
            "done",
            1,
            T0,
            EventKind.RUN_FINISHED,
            0,
            1,
            Map.of("dead_letters", 0.0, "samples_per_second", 10.0),
            Map.of("outcome", "succeeded")));
    send(event("running", 0, T0, EventKind.STEP, 0, 1, Map.of("loss_class", 2.0), Map.of()));
    assertThat(metric("memoscope_run_finished", Map.of("run", "done"))).contains(1.0);

    driver.advanceWallClockTime(RETENTION.minusSeconds(5));
    assertThat(metric("memoscope_step", Map.of("run", "done"))).isPresent();

    driver.advanceWallClockTime(Duration.ofSeconds(10));
    String scrape = registry.scrape();
    assertThat(scrape).doesNotContain("run=\"done\"");
    assertThat(PrometheusText.value(scrape, "memoscope_step", Map.of("run", "running")))
        .contains(1.0);
    assertThat(live.runIds()).containsExactly("running");

    // A late duplicate does not bring the run back.
    send(
        event(
            "done", 1, T0, EventKind.RUN_FINISHED, 0, 1, Map.of(), Map.of("outcome", "succeeded")));
    assertThat(registry.scrape()).doesNotContain("run=\"done\"");
    assertThat(metric("memoscope_events_duplicate_total", Map.of())).contains(1.0);
  }

  @Test
  void probesShowBesideTheCoTrainedHeadsWithTheirIntervalsOnTheRunView() {
    runs.pipeInput("r1", Events.manifest("r1", "fashion"));
    send(
        event(
            "r1",
            0,
            T0,
            EventKind.RUN_STARTED,
            0,
            0,
            Map.of("random_label_chance", 0.1),
            Map.of()));
    send(
        event(
            "r1",
            1,
            T0.plusSeconds(1),
            EventKind.STEP,
            2,
            200,
            Map.of("loss_class", 1.0),
            Map.of()));
    Map<String, Double> eval = new java.util.HashMap<>();
    Events.estimate(eval, EventMetricNames.RANDOM_LABEL_ACCURACY, 0.3, 0.02);
    Events.estimate(eval, EventMetricNames.RANDOM_LABEL_ACCURACY_TEST, 0.1, 0.02);
    Events.estimate(eval, EventMetricNames.MEMORIZATION_INDEX, 0.22, 0.03);
    send(event("r1", 2, T0.plusSeconds(2), EventKind.EVAL, 2, 200, eval, head("penultimate", "0")));
    // in-run probes of two taps, then `memoscope probe` of the step-120 checkpoint: the older probe
    // is newer news
    send(Events.probe("r1", 3, T0.plusSeconds(3), 2, 200, "penultimate", "0", 0.4, 0.1));
    send(Events.probe("r1", 4, T0.plusSeconds(3), 2, 200, "block2", "0", 0.2, 0.1));
    send(Events.probe("r1", 5, T0.plusSeconds(9), 1, 120, "penultimate", "0", 0.35, 0.12));

    Map<String, String> h =
        Map.of(
            "run",
            "r1",
            "dataset",
            "fashion",
            "head",
            "penultimate/0",
            "tap",
            "penultimate",
            "labeling",
            "0");
    assertThat(metric("memoscope_probe_random_label_accuracy", with(h, "split", "train")))
        .contains(0.35);
    assertThat(metric("memoscope_probe_random_label_accuracy", with(h, "split", "test")))
        .contains(0.12);
    assertThat(metric("memoscope_probe_memorization_index", h))
        .hasValueSatisfying(
            v -> assertThat(v).isCloseTo(0.23 / 0.88, org.assertj.core.data.Offset.offset(1e-12)));
    assertThat(
            metric(
                "memoscope_probe_random_label_accuracy",
                Map.of("run", "r1", "head", "block2/0", "split", "train")))
        .contains(0.2);
    assertThat(
            metric(
                "memoscope_random_label_accuracy", with(h, "mode", "evaluated", "split", "train")))
        .contains(0.3);
    assertThat(metric("memoscope_step", Map.of("run", "r1")))
        .as("not wound back by the probe of step 120")
        .contains(200.0);
    assertThat(metric("memoscope_events_total", Map.of("kind", "PROBE"))).contains(3.0);
    // one series per head and split, no interval bounds, no difference or sample counts
    String scrape = registry.scrape();
    assertThat(
            PrometheusText.find(
                scrape, "memoscope_probe_random_label_accuracy", Map.of("run", "r1")))
        .hasSize(4);
    assertThat(
            PrometheusText.find(scrape, "memoscope_probe_memorization_index", Map.of("run", "r1")))
        .hasSize(2);
    assertThat(scrape)
        .doesNotContain("_bounds")
        .doesNotContain("bound=")
        .doesNotContain("probe_difference")
        .doesNotContain("probe_samples")
        .doesNotContain("_low")
        .doesNotContain("_high");

    // the run view (the /api/runs "latest") has every exported series, estimates with their bounds
    List<LiveRuns.SeriesValue> values = live.run("r1").orElseThrow().values();
    assertThat(values).noneMatch(v -> v.name().endsWith("_bounds"));
    LiveRuns.SeriesValue rla =
        value(
            values,
            "memoscope_random_label_accuracy",
            Map.of("mode", "evaluated", "split", "train"));
    assertThat(rla.value()).isEqualTo(0.3);
    assertThat(rla.low()).isCloseTo(0.28, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(rla.high()).isCloseTo(0.32, org.assertj.core.data.Offset.offset(1e-12));
    LiveRuns.SeriesValue probe =
        value(
            values,
            "memoscope_probe_random_label_accuracy",
            Map.of("head", "penultimate/0", "split", "test"));
    assertThat(probe.value()).isEqualTo(0.12);
    assertThat(probe.low()).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(probe.high()).isCloseTo(0.14, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(
            value(values, "memoscope_probe_memorization_index", Map.of("head", "block2/0")).low())
        .isNotNull();
    LiveRuns.SeriesValue step = value(values, "memoscope_step", Map.of());
    assertThat(step.low()).isNull();
    assertThat(step.high()).isNull();
  }

  @Test
  void aProbeOfAnExpiredRunIsCountedButDoesNotBringItBack() {
    send(event("done", 0, T0, EventKind.STEP, 0, 10, Map.of("loss_class", 2.0), Map.of()));
    send(
        event(
            "done",
            1,
            T0,
            EventKind.RUN_FINISHED,
            0,
            10,
            Map.of(),
            Map.of("outcome", "succeeded")));
    // within the retention a probe of the finished run shows
    send(Events.probe("done", 2, T0.plusSeconds(60), 0, 10, "penultimate", "0", 0.3, 0.1));
    assertThat(
            metric(
                "memoscope_probe_random_label_accuracy", Map.of("run", "done", "split", "train")))
        .contains(0.3);
    driver.advanceWallClockTime(RETENTION.plusSeconds(5));
    assertThat(live.runIds()).doesNotContain("done");

    send(
        Events.probe(
            "done", 3, T0.plus(RETENTION).plusSeconds(30), 0, 10, "penultimate", "0", 0.5, 0.1));
    assertThat(live.runIds()).doesNotContain("done");
    assertThat(registry.scrape()).doesNotContain("run=\"done\"");
    assertThat(metric("memoscope_events_total", Map.of("kind", "PROBE"))).contains(2.0);
    // and its sequence was taken: the same probe again is a duplicate
    send(
        Events.probe(
            "done", 3, T0.plus(RETENTION).plusSeconds(30), 0, 10, "penultimate", "0", 0.5, 0.1));
    assertThat(metric("memoscope_events_duplicate_total", Map.of())).contains(1.0);
  }

  static LiveRuns.SeriesValue value(
      List<LiveRuns.SeriesValue> values, String name, Map<String, String> labels) {
    List<LiveRuns.SeriesValue> found =
        values.stream()
            .filter(
                v -> v.name().equals(name) && v.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    assertThat(found).as(name + labels + " in " + values).hasSize(1);
    return found.get(0);
  }

  @Test
  void deadLetterTopicsAreCountedPerTopic() {
    TestInputTopic<byte[], byte[]> dlq =
        driver.createInputTopic(
            "samples.fashion.train.dlq", new ByteArraySerializer(), new ByteArraySerializer());
    TestInputTopic<byte[], byte[]> other =
        driver.createInputTopic(
            "samples.fashion.test.dlq", new ByteArraySerializer(), new ByteArraySerializer());
    dlq.pipeValueList(List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}));
    other.pipeInput(new byte[] {1});

    assertThat(
            metric(
                "memoscope_dead_letter_records_total",
                Map.of("topic", "samples.fashion.train.dlq")))
        .contains(3.0);
    assertThat(
            metric(
                "memoscope_dead_letter_records_total", Map.of("topic", "samples.fashion.test.dlq")))
        .contains(1.0);
  }

  @Test
  void theDatasetGaugesFollowTheDatasetsTopic() {
    live.syncDatasets(
        Map.of(
            "fashion",
            DatasetInfo.newBuilder()
                .setName("fashion")
                .setClassNames(List.of("a"))
                .setHeight(28)
                .setWidth(28)
                .setChannels(1)
                .setTrainCount(60000)
                .setTestCount(10000)
                .setRandomClasses(10)
                .setLabelSeed(1)
                .setLabelings(1)
                .setCreatedAt(T0)
                .build()));
    assertThat(metric("memoscope_ingest_records", Map.of("dataset", "fashion", "split", "train")))
        .contains(60000.0);
    assertThat(metric("memoscope_ingest_records", Map.of("dataset", "fashion", "split", "test")))
        .contains(10000.0);
    live.syncDatasets(Map.of());
    assertThat(registry.scrape()).doesNotContain("memoscope_ingest_records{");
  }

  static Map<String, String> with(Map<String, String> base, String... keyValues) {
    Map<String, String> merged = new java.util.HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      merged.put(keyValues[i], keyValues[i + 1]);
    }
    return merged;
  }
}
