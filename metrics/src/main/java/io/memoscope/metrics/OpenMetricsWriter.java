package io.memoscope.metrics;

import io.memoscope.protocol.avro.TrainingEvent;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's whole history as OpenMetrics text with timestamps, the input of {@code promtool tsdb
 * create-blocks-from openmetrics} (backfilling a past or replayed run).
 *
 * <p>The events go through the same {@link EventMapping} as the live service, so the backfilled
 * series have the live names and labels; counters are cumulated as the service does. promtool wants
 * the samples of a family together and each series' timestamps increasing: the text is grouped by
 * family, then series, then time, and of two events in the same millisecond the later one wins.
 * Timestamps are in seconds with millisecond decimals. {@code memoscope_run_info} is not written
 * (it describes the live run, not its history), nor are interval bounds, which the live service
 * does not export either ({@link Family#exported()}).
 */
public final class OpenMetricsWriter {

  public static final String CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private OpenMetricsWriter() {}

  public static String write(String run, String dataset, List<TrainingEvent> events) {
    Map<Family, Map<Series, TreeMap<Long, Double>>> samples = new EnumMap<>(Family.class);
    Map<Series, Double> current = new LinkedHashMap<>();
    for (TrainingEvent event : events) {
      long ts = event.getTimestamp().toEpochMilli();
      for (Update update : EventMapping.updates(event)) {
        if (!update.series().family().exported()) {
          continue;
        }
        double value = update.apply(current.get(update.series()));
        current.put(update.series(), value);
        samples
            .computeIfAbsent(update.series().family(), f -> new LinkedHashMap<>())
            .computeIfAbsent(update.series(), s -> new TreeMap<>())
            .put(ts, value);
      }
    }
    StringBuilder out = new StringBuilder();
    samples.forEach(
        (family, series) -> {
          out.append("# TYPE ")
              .append(family.baseName())
              .append(' ')
              .append(family.type() == Family.Type.COUNTER ? "counter" : "gauge")
              .append('\n');
          series.forEach(
              (s, points) -> {
                String labels = labels(run, dataset, s);
                points.forEach(
                    (ts, value) ->
                        out.append(family.sampleName())
                            .append(labels)
                            .append(' ')
                            .append(number(value))
                            .append(' ')
                            .append(ts / 1000)
                            .append('.')
                            .append(String.format("%03d", ts % 1000))
                            .append('\n'));
              });
        });
    out.append("# EOF\n");
    return out.toString();
  }

  private static String labels(String run, String dataset, Series series) {
    StringBuilder labels =
        new StringBuilder("{run=\"")
            .append(escape(run))
            .append("\",dataset=\"")
            .append(escape(dataset))
            .append('"');
    series
        .labels()
        .forEach(
            (k, v) -> labels.append(',').append(k).append("=\"").append(escape(v)).append('"'));
    return labels.append('}').toString();
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
