package io.memoscope.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what {@link LiveRuns} holds into each Prometheus scrape: one gauge or counter family per
 * exported {@link Family} (labels run, dataset, then the family's own), {@code memoscope_run_info}
 * and {@code memoscope_ingest_records}. It is registered on the Micrometer registry's Prometheus
 * client registry, so its families are in the same {@code /metrics} text as the meters.
 *
 * <p>Built from a {@link LiveRuns#snapshot()} at scrape time instead of kept as one Micrometer
 * meter per series: meters had to be registered for every new series and re-registered under a new
 * data set label, a scrape could fall between the two, and a removed run's meters had to be found
 * and removed. Here a series is on {@code /metrics} exactly while its run is in LiveRuns.
 */
final class LiveRunsCollector implements MultiCollector {

  /**
   * Not a gauge named memoscope_run_info: the Prometheus client reserves the {@code _info} suffix
   * for its info type, which writes this name with {@code _info} appended.
   */
  static final String RUN_INFO = "memoscope_run";

  static final String INGEST_RECORDS = "memoscope_ingest_records";

  private final LiveRuns live;

  LiveRunsCollector(LiveRuns live) {
    this.live = live;
  }

  @Override
  public MetricSnapshots collect() {
    List<LiveRuns.RunSnapshot> runs = live.snapshot();
    // EnumMaps: the families come out in a fixed order, and the client sorts them by name anyway
    Map<Family, GaugeSnapshot.Builder> gauges = new EnumMap<>(Family.class);
    Map<Family, CounterSnapshot.Builder> counters = new EnumMap<>(Family.class);
    InfoSnapshot.Builder info =
        InfoSnapshot.builder()
            .name(RUN_INFO)
            .help("1 per live run; its labels are the run's config summary");
    for (LiveRuns.RunSnapshot run : runs) {
      info.dataPoint(InfoDataPointSnapshot.builder().labels(infoLabels(run.meta())).build());
      for (LiveRuns.Sample sample : run.samples()) {
        Family family = sample.series().family();
        Labels labels = labels(run.meta(), sample.series());
        switch (family.type()) {
          case GAUGE ->
              gauges
                  .computeIfAbsent(
                      family, f -> GaugeSnapshot.builder().name(f.baseName()).help(f.help()))
                  .dataPoint(
                      GaugeDataPointSnapshot.builder()
                          .labels(labels)
                          .value(sample.value())
                          .build());
          case COUNTER -> {
            // Never below 0 (counters start at 0 and only grow, EventMapping), but the client
            // refuses a negative counter by throwing, which would fail the whole scrape.
            if (sample.value() >= 0 || Double.isNaN(sample.value())) {
              counters
                  .computeIfAbsent(
                      family, f -> CounterSnapshot.builder().name(f.baseName()).help(f.help()))
                  .dataPoint(
                      CounterDataPointSnapshot.builder()
                          .labels(labels)
                          .value(sample.value())
                          .build());
            }
          }
        }
      }
    }
    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    gauges.values().forEach(family -> snapshots.metricSnapshot(family.build()));
    counters.values().forEach(family -> snapshots.metricSnapshot(family.build()));
    if (!runs.isEmpty()) {
      snapshots.metricSnapshot(info.build());
    }
    List<LiveRuns.IngestRecords> ingest = live.ingestRecords();
    if (!ingest.isEmpty()) {
      GaugeSnapshot.Builder records =
          GaugeSnapshot.builder()
              .name(INGEST_RECORDS)
              .help("Records ingested per data set and split");
      for (LiveRuns.IngestRecords r : ingest) {
        records.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(Labels.of("dataset", r.dataset(), "split", r.split()))
                .value(r.records())
                .build());
      }
      snapshots.metricSnapshot(records.build());
    }
    return snapshots.build();
  }

  /**
   * run, dataset, then the series' own labels (the client sorts them by name, as Micrometer did).
   */
  private static Labels labels(RunMeta meta, Series series) {
    List<String> keys = series.family().labelKeys();
    String[] names = new String[2 + keys.size()];
    String[] values = new String[names.length];
    names[0] = "run";
    values[0] = meta.run();
    names[1] = "dataset";
    values[1] = meta.datasetLabel();
    for (int i = 0; i < keys.size(); i++) {
      names[2 + i] = keys.get(i);
      values[2 + i] = series.labelValues().get(i);
    }
    return Labels.of(names, values);
  }

  /**
   * run, dataset, then the config summary: always the same keys, empty where the manifest has none.
   */
  static Labels infoLabels(RunMeta meta) {
    Labels.Builder labels =
        Labels.builder().label("run", meta.run()).label("dataset", meta.datasetLabel());
    for (String label : RunMeta.SUMMARY_KEYS.values()) {
      labels.label(label, meta.config().getOrDefault(label, ""));
    }
    return labels
        .label(
            RunMeta.CODE_VERSION_LABEL, meta.config().getOrDefault(RunMeta.CODE_VERSION_LABEL, ""))
        .build();
  }
}
