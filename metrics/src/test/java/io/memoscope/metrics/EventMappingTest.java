package io.memoscope.metrics;

import static io.memoscope.metrics.Events.event;
import static io.memoscope.metrics.Events.head;
import static io.memoscope.metrics.MetricsTopologyTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mapping alone, without Kafka: what PROBE events and the estimates' interval bounds become,
 * and that the OpenMetrics history uses the same mapping.
 */
class EventMappingTest {

  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  static final Map<String, String> HEAD = head("penultimate", "0");

  @Test
  void aProbeSetsTheProbeSeriesWithTheirBoundsAndLeavesTheStepAlone() {
    // a probe of an old checkpoint: its step (120) is behind the run's
    TrainingEvent probe = Events.probe("r1", 400, T0, 3, 120, "penultimate", "0", 0.35, 0.1);

    Map<Series, Double> set = sets(EventMapping.updates(probe));

    Series train = Series.of(Family.PROBE_RANDOM_LABEL_ACCURACY, with(HEAD, "split", "train"));
    Series test = Series.of(Family.PROBE_RANDOM_LABEL_ACCURACY, with(HEAD, "split", "test"));
    Series index = Series.of(Family.PROBE_MEMORIZATION_INDEX, HEAD);
    assertThat(train.labels())
        .containsExactly(
            Map.entry("head", "penultimate/0"),
            Map.entry("tap", "penultimate"),
            Map.entry("labeling", "0"),
            Map.entry("split", "train"));
    assertThat(set)
        .containsOnlyKeys(
            train,
            low(train),
            high(train),
            test,
            low(test),
            high(test),
            index,
            low(index),
            high(index));
    assertThat(set.get(train)).isEqualTo(0.35);
    assertThat(set.get(low(train))).isCloseTo(0.33, within(1e-12));
    assertThat(set.get(high(train))).isCloseTo(0.37, within(1e-12));
    assertThat(set.get(test)).isEqualTo(0.1);
    assertThat(set.get(low(test))).isCloseTo(0.08, within(1e-12));
    assertThat(set.get(index)).isCloseTo(0.25 / 0.9, within(1e-12));
    assertThat(set.get(high(index))).isCloseTo(0.25 / 0.9 + 0.04, within(1e-12));
  }

  @Test
  void evaluatedEstimatesCarryTheirBoundsAndAnEstimateWithoutBoundsClearsThem() {
    Map<String, Double> metrics = new HashMap<>();
    Events.estimate(metrics, EventMetricNames.RANDOM_LABEL_ACCURACY, 0.3, 0.02);
    Events.estimate(metrics, EventMetricNames.RANDOM_LABEL_ACCURACY_TEST, 0.1, 0.02);
    Events.estimate(metrics, EventMetricNames.MEMORIZATION_INDEX, 0.22, 0.03);
    metrics.put(EventMetricNames.EVALUATED_SAMPLES, 2000.0);
    metrics.put(EventMetricNames.EVALUATED_SAMPLES_TEST, 2000.0);
    Map<Series, Double> set =
        sets(EventMapping.updates(event("r1", 5, T0, EventKind.EVAL, 1, 20, metrics, HEAD)));

    Series train =
        Series.of(Family.RANDOM_LABEL_ACCURACY, with(HEAD, "mode", "evaluated", "split", "train"));
    Series test =
        Series.of(Family.RANDOM_LABEL_ACCURACY, with(HEAD, "mode", "evaluated", "split", "test"));
    Series index = Series.of(Family.MEMORIZATION_INDEX, HEAD);
    assertThat(set)
        .containsOnlyKeys(
            Series.of(Family.EPOCH),
            Series.of(Family.STEP),
            train,
            low(train),
            high(train),
            test,
            low(test),
            high(test),
            index,
            low(index),
            high(index));
    assertThat(set.get(low(train))).isCloseTo(0.28, within(1e-12));
    assertThat(set.get(high(test))).isCloseTo(0.12, within(1e-12));
    assertThat(set.get(low(index))).isCloseTo(0.19, within(1e-12));

    // an evaluation without intervals (or with a broken one): no old bound may stay beside the new
    // value
    Map<Series, Double> bare =
        sets(
            EventMapping.updates(
                event(
                    "r1",
                    6,
                    T0,
                    EventKind.EVAL,
                    1,
                    30,
                    Map.of(
                        EventMetricNames.RANDOM_LABEL_ACCURACY,
                        0.4,
                        EventMetricNames.low(EventMetricNames.RANDOM_LABEL_ACCURACY),
                        Double.NaN),
                    HEAD)));
    assertThat(bare.get(train)).isEqualTo(0.4);
    assertThat(bare.get(low(train))).isNaN();
    assertThat(bare.get(high(train))).isNaN();
    assertThat(bare).doesNotContainKeys(test, low(test), index);
  }

  @Test
  void onlyTheEstimatesOfTheContractHaveBoundsAndBoundsAreNotExported() {
    assertThat(Family.values())
        .filteredOn(f -> f.bounds().isPresent())
        .containsExactlyInAnyOrder(
            Family.RANDOM_LABEL_ACCURACY,
            Family.MEMORIZATION_INDEX,
            Family.PROBE_RANDOM_LABEL_ACCURACY,
            Family.PROBE_MEMORIZATION_INDEX);
    for (Family family : Family.values()) {
      family
          .bounds()
          .ifPresent(
              bounds -> {
                assertThat(bounds.exported()).as(bounds.name()).isFalse();
                assertThat(bounds.labelKeys())
                    .as(bounds.name())
                    .containsExactlyElementsOf(plus(family.labelKeys(), "bound"));
              });
    }
    assertThat(Family.values())
        .filteredOn(Family::exported)
        .noneMatch(f -> f.baseName().endsWith("_bounds"));
  }

  @Test
  void theOpenMetricsHistoryHasTheProbeFamiliesAndNoBounds() {
    Map<String, Double> eval = new HashMap<>();
    Events.estimate(eval, EventMetricNames.RANDOM_LABEL_ACCURACY, 0.3, 0.02);
    List<TrainingEvent> events =
        List.of(
            event(
                "r1",
                0,
                T0,
                EventKind.RUN_STARTED,
                0,
                0,
                Map.of("random_label_chance", 0.1),
                Map.of()),
            event("r1", 1, T0.plusSeconds(1), EventKind.EVAL, 1, 20, eval, HEAD),
            Events.probe("r1", 2, T0.plusSeconds(2), 1, 20, "penultimate", "0", 0.35, 0.1));

    String text = OpenMetricsWriter.write("r1", "fashion", events);

    String labels =
        "{run=\"r1\",dataset=\"fashion\",head=\"penultimate/0\",tap=\"penultimate\",labeling=\"0\"";
    assertThat(text)
        .contains("# TYPE memoscope_probe_random_label_accuracy gauge\n")
        .contains(
            "memoscope_probe_random_label_accuracy"
                + labels
                + ",split=\"train\"} 0.35 1795780802.000\n")
        .contains(
            "memoscope_probe_random_label_accuracy"
                + labels
                + ",split=\"test\"} 0.1 1795780802.000\n")
        .contains("# TYPE memoscope_probe_memorization_index gauge\n")
        .contains("memoscope_probe_memorization_index" + labels + "} 0.27")
        .contains(
            "memoscope_random_label_accuracy"
                + labels
                + ",mode=\"evaluated\",split=\"train\"} 0.3 ")
        .doesNotContain("_bounds")
        .doesNotContain("bound=")
        .doesNotContain("probe_difference")
        .doesNotContain("probe_samples");
    // the probe did not add a step sample: the step series has the two other events' samples only
    assertThat(text.lines().filter(l -> l.startsWith("memoscope_step{"))).hasSize(2);
  }

  static Series low(Series estimate) {
    return estimate.bound(Family.LOW).orElseThrow();
  }

  static Series high(Series estimate) {
    return estimate.bound(Family.HIGH).orElseThrow();
  }

  /** The value each SET update leaves in its series (later updates of the same series win). */
  static Map<Series, Double> sets(List<Update> updates) {
    Map<Series, Double> set = new LinkedHashMap<>();
    for (Update update : updates) {
      assertThat(update.op()).as(update.toString()).isEqualTo(Update.Op.SET);
      set.put(update.series(), update.value());
    }
    return set;
  }

  static List<String> plus(List<String> keys, String key) {
    return java.util.stream.Stream.concat(keys.stream(), java.util.stream.Stream.of(key)).toList();
  }
}
