package io.memoscope.metrics;

import io.memoscope.protocol.HeadId;
import java.util.HashMap;
import java.util.Map;

/**
 * The Prometheus series of a run's latest sample evaluation: aggregates per head only, never a
 * series per sample (a subset has thousands of samples; Prometheus wants a bounded set of series).
 * Per head, {@link Family#SAMPLES_MEMORIZED_FRACTION} for each class of the subset and {@link
 * Family#SAMPLES} for each of the four groups: {@code heads × (classes + 4)} series per run.
 */
final class SampleSeries {

  static final String CLASS_LABEL = "class";
  static final String GROUP_LABEL = "group";

  private SampleSeries() {}

  static Map<Series, Double> of(SampleTimelines.Summary summary) {
    Map<Series, Double> series = new HashMap<>();
    for (SampleTimelines.HeadSummary head : summary.heads()) {
      Map<String, String> labels = new HashMap<>(HeadId.parse(head.head()).labels());
      for (SampleTimelines.ClassShare share : head.byClass()) {
        labels.put(CLASS_LABEL, Integer.toString(share.classIndex()));
        series.put(Series.of(Family.SAMPLES_MEMORIZED_FRACTION, labels), share.fraction());
      }
      labels.remove(CLASS_LABEL);
      head.groups()
          .byName()
          .forEach(
              (group, count) -> {
                labels.put(GROUP_LABEL, group);
                series.put(Series.of(Family.SAMPLES, labels), (double) count);
              });
    }
    return series;
  }
}
