package io.memoscope.trainer.stream;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.train.TrainingListener;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the last evaluation's values (and the last probe's, when the run probes) for the summary:
 * each estimate with the bounds of its 95 % interval, keyed {@code name{head}}.
 */
final class LastEvaluation implements TrainingListener {
  private final Map<String, Double> values = new LinkedHashMap<>();
  private final Map<String, Double> probe = new LinkedHashMap<>();

  @Override
  public void onEvaluation(EvaluationMetrics metrics) {
    values.clear();
    values.put(EventMetricNames.ACCURACY_TRAIN, metrics.trainAccuracy());
    values.put(EventMetricNames.ACCURACY_TEST, metrics.testAccuracy());
    values.put(EventMetricNames.GENERALIZATION_GAP, metrics.generalizationGap());
    for (HeadEvaluation head : metrics.heads()) {
      putAll(values, head.head(), head.estimates());
    }
  }

  @Override
  public void onProbe(ProbeReport report) {
    probe.clear();
    for (ProbeResult result : report.results()) {
      putAll(probe, result.head(), result.estimates());
    }
  }

  /** Each estimate X of a head as X{head}, X_low{head} and X_high{head}. */
  private static void putAll(
      Map<String, Double> values, String head, Map<String, Interval> estimates) {
    estimates.forEach(
        (name, interval) -> {
          values.put(name + "{" + head + "}", interval.value());
          values.put(EventMetricNames.low(name) + "{" + head + "}", interval.low());
          values.put(EventMetricNames.high(name) + "{" + head + "}", interval.high());
        });
  }

  /** Sorted by name, so the summary file reads in a stable order. */
  Map<String, Double> values() {
    Map<String, Double> all = new TreeMap<>(values);
    all.putAll(probe);
    return Collections.unmodifiableMap(all);
  }
}
