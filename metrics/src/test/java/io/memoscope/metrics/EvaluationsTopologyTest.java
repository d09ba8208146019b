package io.memoscope.metrics;

import static io.memoscope.metrics.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluations part of the topology, driven by TopologyTestDriver: what memoscope.evaluations
 * does to the state stores and to /metrics.
 */
class EvaluationsTopologyTest {

  static final String HEAD = "penultimate/0";
  static final String OTHER = "logits/1";
  static final String FRACTION = "memoscope_samples_memorized_fraction";
  static final String GROUPS = "memoscope_samples";

  @TempDir Path stateDir;

  final SampleEvaluations run = new SampleEvaluations("r1", "digits", 5, List.of(HEAD, OTHER));
  PrometheusMeterRegistry registry;
  LiveRuns live;
  TopologyTestDriver driver;
  TestInputTopic<String, SampleEvaluation> evaluations;
  TestInputTopic<String, TrainingEvent> events;
  TestInputTopic<String, RunManifest> runs;

  @BeforeEach
  void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    live = new LiveRuns(registry);
    driver = TopologyDrivers.start(live, stateDir, Duration.ofMinutes(10), SampleEvaluations.T0);
    evaluations =
        driver.createInputTopic(
            Topics.EVALUATIONS, new StringSerializer(), SampleStore.evaluationSerde().serializer());
    events =
        driver.createInputTopic(
            Topics.EVENTS, new StringSerializer(), MemoscopeSerdes.trainingEvent().serializer());
    runs =
        driver.createInputTopic(
            Topics.RUNS, new StringSerializer(), MemoscopeSerdes.runManifest().serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    registry.close();
  }

  void send(SampleEvaluation evaluation) {
    evaluations.pipeInput(evaluation.getRunId(), evaluation, evaluation.getTimestamp());
  }

  void startRun() {
    runs.pipeInput("r1", Events.manifest("r1", "digits"));
    TrainingEvent started =
        event("r1", 0, SampleEvaluations.T0, EventKind.RUN_STARTED, 0, 0, Map.of(), Map.of());
    events.pipeInput("r1", started, started.getTimestamp());
  }

  Optional<Double> metric(String name, Map<String, String> labels) {
    return PrometheusText.value(registry.scrape(), name, labels);
  }

  Optional<SampleTimelines> stored() {
    KeyValueStore<String, SampleEvaluation> subsets =
        driver.getKeyValueStore(MetricsTopology.SAMPLE_SUBSETS_STORE);
    KeyValueStore<String, SampleHits> hits =
        driver.getKeyValueStore(MetricsTopology.SAMPLE_HITS_STORE);
    return SampleStore.read("r1", subsets, hits);
  }

  @Test
  void theLatestEvaluationsAggregatesShowPerHeadAndClassOnceTheRunIsLive() {
    send(run.at(100, "11001", "10110", "00000"));
    assertThat(metric(FRACTION, Map.of("run", "r1")))
        .as("not before the run's first event")
        .isEmpty();
    startRun();
    send(run.at(200, "11100", "11010", "11111"));

    // latest: class right 0,1,2; HEAD memorized 0,1,3; classes i % 2
    Map<String, String> head = Map.of("run", "r1", "dataset", "digits", "head", HEAD);
    assertThat(metric(FRACTION, with(head, "class", "0"))).contains(1.0 / 3);
    assertThat(metric(FRACTION, with(head, "class", "1"))).contains(1.0);
    assertThat(metric(GROUPS, with(head, "group", "right_memorized"))).contains(2.0);
    assertThat(metric(GROUPS, with(head, "group", "right_not_memorized"))).contains(1.0);
    assertThat(metric(GROUPS, with(head, "group", "wrong_memorized"))).contains(1.0);
    assertThat(metric(GROUPS, with(head, "group", "wrong_not_memorized"))).contains(1.0);
    assertThat(
            metric(
                FRACTION,
                Map.of("run", "r1", "head", OTHER, "tap", "logits", "labeling", "1", "class", "0")))
        .contains(1.0);

    // Bounded: heads × classes fractions and heads × 4 groups, and no label names a sample.
    SampleEvaluations.assertBoundedSampleSeries(registry.scrape(), "r1", 2 * 2 + 2 * 4);
    assertThat(live.run("r1").orElseThrow().values())
        .anySatisfy(v -> assertThat(v.name()).isEqualTo(FRACTION));
  }

  @Test
  void anEarlierStepEvaluatedAgainReplacesItsRecordButNotTheLatestAggregates() {
    startRun();
    send(run.at(100, "11001", "10110", "00000"));
    send(run.at(200, "11100", "11010", "11111"));
    send(run.at(100, "00000", "00000", "00000")); // a resume evaluates step 100 again
    Map<String, String> head = Map.of("run", "r1", "head", HEAD);
    assertThat(metric(GROUPS, with(head, "group", "right_memorized"))).contains(2.0);

    SampleTimelines timelines = stored().orElseThrow();
    assertThat(timelines.evaluations()).extracting(SampleHits::step).containsExactly(100L, 200L);
    assertThat(timelines.evaluations().get(0).classRight().isEmpty()).isTrue();
    SampleTimelinesTest.assertSameDerivation(
        timelines.summary(),
        SampleTimelines.fromRecords(
                List.of(
                    run.at(100, "00000", "00000", "00000"), run.at(200, "11100", "11010", "11111")))
            .orElseThrow()
            .summary());

    send(run.at(300, "00000", "00000", "00000"));
    assertThat(metric(GROUPS, with(head, "group", "wrong_not_memorized"))).contains(5.0);
  }

  @Test
  void anEvaluationOfAnotherSubsetIsSkippedAndCounted() {
    startRun();
    send(run.at(100, "11001", "10110", "00000"));
    send(
        new SampleEvaluations("r1", "digits", 4, List.of(HEAD, OTHER))
            .at(200, "0000", "0000", "0000"));
    assertThat(
            metric(
                "memoscope_events_invalid_total",
                Map.of("reason", EvaluationsProcessor.INCONSISTENT_SUBSET)))
        .contains(1.0);
    assertThat(stored().orElseThrow().evaluations())
        .extracting(SampleHits::step)
        .containsExactly(100L);
    assertThat(stored().orElseThrow().subset().size()).isEqualTo(5);
  }

  static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> merged = new java.util.HashMap<>(labels);
    merged.put(key, value);
    return merged;
  }
}
