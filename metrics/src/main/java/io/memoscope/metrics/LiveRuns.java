package io.memoscope.metrics;

import io.memoscope.protocol.avro.DatasetInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live view of every run the service holds, published as Micrometer meters: the one place
 * where state meets the registry. The stream threads write it ({@link EventsProcessor}), the
 * HTTP threads and the Prometheus scrape read it.
 *
 * <p>Values live in {@link Cell}s that gauges and function counters read at scrape time, so an
 * update costs a volatile write and a value shows on {@code /metrics} as soon as its event is
 * processed, without waiting for a commit. Meters are (re)registered only when a run gets a new
 * series or its data set label changes. The state stores stay the source of truth: after a
 * restart {@link EventsProcessor#init} loads them back in here. Interval bounds have cells but no
 * meters ({@link Family#exported()}); the API shows them with their estimate.
 */
public final class LiveRuns {

  /** A value a meter reads at scrape time. */
  static final class Cell {
    private volatile double value;

    Cell(double value) {
      this.value = value;
    }

    double get() {
      return value;
    }

    void set(double v) {
      value = v;
    }
  }

  /** A run as the HTTP API shows it. */
  public record RunView(RunMeta meta, List<SeriesValue> values) {}

  /**
   * An exported series with its current value and, for an estimate, the bounds of its 95 %
   * interval ({@code null} when the event had none).
   */
  public record SeriesValue(String name, Map<String, String> labels, double value, Double low, Double high) {}

  private static final class LiveRun {
    RunMeta meta;
    final Map<Series, Cell> cells = new ConcurrentHashMap<>();
    final Map<Series, Meter> meters = new HashMap<>();
    String registeredDataset;
  }

  /** Series every run has from its first event on, so that rate() and changes() see the first increment. */
  private static final List<Series> ALWAYS = List.of(Series.of(Family.CHECKPOINTS), Series.of(Family.RESUMES),
      Series.of(Family.BROKER_WAITS), Series.of(Family.RUN_DEAD_LETTERS), Series.of(Family.PUBLISH_FAILURES),
      Series.of(Family.RUN_FINISHED), Series.of(Family.RUN_FAILED), Series.of(Family.RUN_DIVERGED));

  /**
   * memoscope_run_info is written by a Prometheus collector of its own, not a Micrometer gauge: the
   * Prometheus client reserves the {@code _info} suffix for its info type and strips it from gauge
   * names (a gauge named memoscope_run_info is exported as memoscope_run).
   */
  static final String RUN_INFO_FAMILY = "memoscope_run";

  private final MeterRegistry registry;
  private final Map<String, LiveRun> runs = new ConcurrentHashMap<>();
  private final Map<String, Counter> eventsByKind = new ConcurrentHashMap<>();
  private final Map<String, Counter> invalidByReason = new ConcurrentHashMap<>();
  private final Counter duplicates;
  private final Map<String, Cell> deadLetterRecords = new ConcurrentHashMap<>();
  private final Map<List<String>, Meter> ingestRecords = new ConcurrentHashMap<>();
  private final Map<List<String>, Cell> ingestCells = new ConcurrentHashMap<>();

  public LiveRuns(MeterRegistry registry) {
    this.registry = registry;
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      prometheus.getPrometheusRegistry().register(this::runInfo);
    }
    this.duplicates = Counter.builder("memoscope_events_duplicate")
        .description("Events dropped because their (run, sequence) was already applied").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  // ---- written by the stream threads ----

  /** Puts a whole run, as loaded from the state stores (replaces what was there). */
  public synchronized void load(RunMeta meta, Map<Series, Double> values) {
    remove(meta.run());
    if (meta.expired()) {
      return;
    }
    apply(meta, values);
  }

  /** Sets the run's meta and the given series values; registers meters for series new to it. */
  public synchronized void apply(RunMeta meta, Map<Series, Double> values) {
    LiveRun run = runs.computeIfAbsent(meta.run(), id -> new LiveRun());
    boolean labelsChanged = run.meta == null || !run.meta.datasetLabel().equals(meta.datasetLabel())
        || !run.meta.config().equals(meta.config());
    run.meta = meta;
    if (labelsChanged) {
      unregister(run);
    }
    for (Series series : ALWAYS) {
      run.cells.computeIfAbsent(series, s -> new Cell(0));
    }
    boolean newMeters = false;
    for (Map.Entry<Series, Double> entry : values.entrySet()) {
      Cell cell = run.cells.get(entry.getKey());
      if (cell == null) {
        run.cells.put(entry.getKey(), new Cell(entry.getValue()));
        newMeters |= entry.getKey().family().exported();
      } else {
        cell.set(entry.getValue());
      }
    }
    if (run.registeredDataset == null || labelsChanged || newMeters) {
      register(run);
    }
  }

  /** Removes the run and its meters (expiry, or its task moved to another instance). */
  public synchronized void remove(String runId) {
    LiveRun run = runs.remove(runId);
    if (run != null) {
      unregister(run);
    }
  }

  public void countEvent(String kind) {
    eventsByKind.computeIfAbsent(kind, k -> Counter.builder("memoscope_events").tag("kind", k)
        .description("Events applied, by kind").register(registry)).increment();
  }

  public void countDuplicate() {
    duplicates.increment();
  }

  public void countInvalid(String reason) {
    invalidByReason.computeIfAbsent(reason, r -> Counter.builder("memoscope_events_invalid").tag("reason", r)
        .description("Records skipped as invalid (undecodable, wrong schema, non-finite values)").register(registry))
        .increment();
  }

  /** Sets the number of records seen so far in a dead-letter topic. */
  public void deadLetterRecords(String topic, long count) {
    deadLetterRecords.computeIfAbsent(topic, t -> {
      Cell cell = new Cell(0);
      FunctionCounter.builder("memoscope_dead_letter_records", cell, Cell::get).tag("topic", t)
          .description("Records in the dead-letter topics").register(registry);
      return cell;
    }).set(count);
  }

  // ---- written before each scrape ----

  /** Makes {@code memoscope_ingest_records} show exactly these data sets. */
  public synchronized void syncDatasets(Map<String, DatasetInfo> datasets) {
    Map<List<String>, Double> wanted = new HashMap<>();
    datasets.forEach((name, info) -> {
      wanted.put(List.of(name, "train"), (double) info.getTrainCount());
      wanted.put(List.of(name, "test"), (double) info.getTestCount());
    });
    for (List<String> key : new ArrayList<>(ingestRecords.keySet())) {
      if (!wanted.containsKey(key)) {
        registry.remove(ingestRecords.remove(key));
        ingestCells.remove(key);
      }
    }
    wanted.forEach((key, count) -> {
      Cell cell = ingestCells.computeIfAbsent(key, k -> new Cell(count));
      cell.set(count);
      ingestRecords.computeIfAbsent(key, k -> Gauge.builder("memoscope_ingest_records", cell, Cell::get)
          .tags("dataset", k.get(0), "split", k.get(1)).strongReference(true)
          .description("Records ingested per data set and split").register(registry));
    });
  }

  // ---- read by the HTTP API ----

  public List<RunView> runs() {
    return runs.keySet().stream().sorted().map(this::run).flatMap(Optional::stream).toList();
  }

  public synchronized Optional<RunView> run(String runId) {
    LiveRun run = runs.get(runId);
    if (run == null) {
      return Optional.empty();
    }
    List<SeriesValue> values = new ArrayList<>();
    run.cells.forEach((series, cell) -> {
      if (series.family().exported()) {
        values.add(new SeriesValue(series.family().sampleName(), series.labels(), cell.get(),
            bound(run, series, Family.LOW), bound(run, series, Family.HIGH)));
      }
    });
    values.sort(Comparator.comparing(SeriesValue::name).thenComparing(v -> v.labels().toString()));
    return Optional.of(new RunView(run.meta, values));
  }

  /** The estimate's current low or high bound; null if it has none (or NaN: its last event had none). */
  private static Double bound(LiveRun run, Series estimate, String which) {
    Cell cell = estimate.bound(which).map(run.cells::get).orElse(null);
    return cell == null || !Double.isFinite(cell.get()) ? null : cell.get();
  }

  /** Run ids currently live. */
  public List<String> runIds() {
    return runs.keySet().stream().sorted().toList();
  }

  // ---- meters ----

  private void register(LiveRun run) {
    String runId = run.meta.run();
    String dataset = run.meta.datasetLabel();
    run.cells.forEach((series, cell) -> {
      if (series.family().exported()) {
        run.meters.computeIfAbsent(series, s -> meter(runId, dataset, s, cell));
      }
    });
    run.registeredDataset = dataset;
  }

  private Meter meter(String runId, String dataset, Series s, Cell cell) {
    Tags tags = Tags.of("run", runId, "dataset", dataset);
    for (Map.Entry<String, String> label : s.labels().entrySet()) {
      tags = tags.and(label.getKey(), label.getValue());
    }
    return s.family().type() == Family.Type.COUNTER
        ? FunctionCounter.builder(s.family().baseName(), cell, Cell::get).tags(tags).register(registry)
        : Gauge.builder(s.family().baseName(), cell, Cell::get).tags(tags).strongReference(true).register(registry);
  }

  /** The labels of memoscope_run_info besides run and dataset: always the same keys. */
  static Map<String, String> infoLabels(RunMeta meta) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String label : RunMeta.SUMMARY_KEYS.values()) {
      labels.put(label, meta.config().getOrDefault(label, ""));
    }
    labels.put(RunMeta.CODE_VERSION_LABEL, meta.config().getOrDefault(RunMeta.CODE_VERSION_LABEL, ""));
    return labels;
  }

  private InfoSnapshot runInfo() {
    InfoSnapshot.Builder info = InfoSnapshot.builder().name(RUN_INFO_FAMILY)
        .help("1 per live run; its labels are the run's config summary");
    for (LiveRun run : runs.values()) {
      RunMeta meta = run.meta;
      if (meta == null) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("run", meta.run());
      labels.put("dataset", meta.datasetLabel());
      labels.putAll(infoLabels(meta));
      info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
          .labels(Labels.of(new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()))).build());
    }
    return info.build();
  }

  private void unregister(LiveRun run) {
    run.meters.values().forEach(registry::remove);
    run.meters.clear();
    run.registeredDataset = null;
  }
}
