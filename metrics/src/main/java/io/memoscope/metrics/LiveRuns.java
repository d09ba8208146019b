package io.memoscope.metrics;

import io.memoscope.protocol.avro.DatasetInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live view of every run the service holds: the one place where state meets {@code /metrics}.
 * The stream threads write it ({@link EventsProcessor}, {@link EvaluationsProcessor}), the HTTP
 * threads and the Prometheus scrape read it.
 *
 * <p>The per-run series, {@code memoscope_run_info} and {@code memoscope_ingest_records} are not
 * meters: {@link LiveRunsCollector} builds them from a {@link #snapshot()} at each scrape, so an
 * update costs a write to a {@link Cell}, a value shows on {@code /metrics} as soon as its event is
 * processed (without waiting for a commit), and a run's series come and go with the run, with
 * nothing to register or unregister. The state stores stay the source of truth: after a restart
 * {@link EventsProcessor#init} loads them back in here. Interval bounds have cells but are not
 * exported ({@link Family#exported()}); the API shows them with their estimate.
 *
 * <p>The service's own counters (events, duplicates, invalid records, dead-letter records) stay
 * Micrometer meters: their names and labels are fixed, so they need no bookkeeping.
 */
public final class LiveRuns {

  /** A mutable value, so that an update allocates nothing. */
  static final class Cell {
    // volatile for the dead-letter counters, which Micrometer reads without the lock
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
   * An exported series with its current value and, for an estimate, the bounds of its 95 % interval
   * ({@code null} when the event had none).
   */
  public record SeriesValue(
      String name, Map<String, String> labels, double value, Double low, Double high) {}

  /** An exported series' value at one moment. */
  record Sample(Series series, double value) {}

  /**
   * A run as one scrape sees it: its meta (the run and data set labels) and its exported series.
   */
  record RunSnapshot(RunMeta meta, List<Sample> samples) {}

  /** One sample of {@code memoscope_ingest_records}: the records of one split of one data set. */
  record IngestRecords(String dataset, String split, long records) {}

  /** Everything guarded by the {@link LiveRuns} monitor. */
  private static final class LiveRun {
    RunMeta meta;
    final Map<Series, Cell> cells = new HashMap<>();

    LiveRun(RunMeta meta) {
      this.meta = meta;
      for (Series series : ALWAYS) {
        cells.put(series, new Cell(0));
      }
    }
  }

  /**
   * Series every run has from its first event on, so that rate() and changes() see the first
   * increment.
   */
  private static final List<Series> ALWAYS =
      List.of(
          Series.of(Family.CHECKPOINTS),
          Series.of(Family.RESUMES),
          Series.of(Family.BROKER_WAITS),
          Series.of(Family.RUN_DEAD_LETTERS),
          Series.of(Family.PUBLISH_FAILURES),
          Series.of(Family.RUN_FINISHED),
          Series.of(Family.RUN_FAILED),
          Series.of(Family.RUN_DIVERGED));

  private final PrometheusMeterRegistry registry;

  /**
   * Concurrent for {@link #runIds()}, which reads it without the lock; the runs' cells need the
   * lock.
   */
  private final Map<String, LiveRun> runs = new ConcurrentHashMap<>();

  private final Map<String, Counter> eventsByKind = new ConcurrentHashMap<>();
  private final Map<String, Counter> invalidByReason = new ConcurrentHashMap<>();
  private final Counter duplicates;
  private final Map<String, Cell> deadLetterRecords = new ConcurrentHashMap<>();

  /**
   * Per run, the aggregates of its latest sample evaluation ({@link EvaluationsProcessor}), apart
   * from the run's own cells: they come from another topic and another processor, which must
   * neither wipe nor be wiped by {@link #load}. They are exported with the run's labels while the
   * run is live. Guarded by the monitor.
   */
  private final Map<String, Map<Series, Double>> sampleSeries = new HashMap<>();

  /** Replaced whole by {@link #syncDatasets}, read whole by the scrape. */
  private volatile List<IngestRecords> ingestRecords = List.of();

  /**
   * A Prometheus registry, not any {@code MeterRegistry}: the per-run series are published through
   * its Prometheus client registry, and a LiveRuns whose runs could not be seen would be a bug.
   */
  public LiveRuns(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.duplicates =
        Counter.builder("memoscope_events_duplicate")
            .description("Events dropped because their (run, sequence) was already applied")
            .register(registry);
    // last: a scrape may call back into this object from now on
    registry.getPrometheusRegistry().register(new LiveRunsCollector(this));
  }

  public PrometheusMeterRegistry registry() {
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

  /**
   * Sets the run's meta (a changed data set relabels all its series) and the given series values.
   */
  public synchronized void apply(RunMeta meta, Map<Series, Double> values) {
    LiveRun run = runs.computeIfAbsent(meta.run(), id -> new LiveRun(meta));
    run.meta = meta;
    for (Map.Entry<Series, Double> entry : values.entrySet()) {
      Cell cell = run.cells.get(entry.getKey());
      if (cell == null) {
        run.cells.put(entry.getKey(), new Cell(entry.getValue()));
      } else {
        cell.set(entry.getValue());
      }
    }
  }

  /** Removes the run and its series (expiry, or its task moved to another instance). */
  public synchronized void remove(String runId) {
    runs.remove(runId);
  }

  /** Replaces the run's sample aggregates ({@link SampleSeries}). */
  public synchronized void applySamples(String runId, Map<Series, Double> values) {
    sampleSeries.put(runId, Map.copyOf(values));
  }

  /** Removes the run's sample aggregates (its evaluations' task moved to another instance). */
  public synchronized void removeSamples(String runId) {
    sampleSeries.remove(runId);
  }

  public void countEvent(String kind) {
    eventsByKind
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("memoscope_events")
                    .tag("kind", k)
                    .description("Events applied, by kind")
                    .register(registry))
        .increment();
  }

  public void countDuplicate() {
    duplicates.increment();
  }

  public void countInvalid(String reason) {
    invalidByReason
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("memoscope_events_invalid")
                    .tag("reason", r)
                    .description(
                        "Records skipped as invalid (undecodable, wrong schema, non-finite values)")
                    .register(registry))
        .increment();
  }

  /** Sets the number of records seen so far in a dead-letter topic. */
  public void deadLetterRecords(String topic, long count) {
    deadLetterRecords
        .computeIfAbsent(
            topic,
            t -> {
              Cell cell = new Cell(0);
              FunctionCounter.builder("memoscope_dead_letter_records", cell, Cell::get)
                  .tag("topic", t)
                  .description("Records in the dead-letter topics")
                  .register(registry);
              return cell;
            })
        .set(count);
  }

  // ---- written before each scrape ----

  /** Makes {@code memoscope_ingest_records} show exactly these data sets. */
  public void syncDatasets(Map<String, DatasetInfo> datasets) {
    List<IngestRecords> records = new ArrayList<>(2 * datasets.size());
    datasets.forEach(
        (name, info) -> {
          records.add(new IngestRecords(name, "train", info.getTrainCount()));
          records.add(new IngestRecords(name, "test", info.getTestCount()));
        });
    ingestRecords = List.copyOf(records);
  }

  // ---- read by the scrape ----

  /**
   * Every live run with its exported series, copied under the lock that {@link #apply} and {@link
   * #load} hold: a scrape sees each run as a whole event left it, never a run that is half loaded
   * or a value without the data set label it came with.
   */
  synchronized List<RunSnapshot> snapshot() {
    List<RunSnapshot> snapshot = new ArrayList<>(runs.size());
    for (LiveRun run : runs.values()) {
      List<Sample> samples = new ArrayList<>(run.cells.size());
      run.cells.forEach(
          (series, cell) -> {
            if (series.family().exported()) {
              samples.add(new Sample(series, cell.get()));
            }
          });
      sampleSeries
          .getOrDefault(run.meta.run(), Map.of())
          .forEach((series, value) -> samples.add(new Sample(series, value)));
      snapshot.add(new RunSnapshot(run.meta, Collections.unmodifiableList(samples)));
    }
    return snapshot;
  }

  /**
   * The samples of {@code memoscope_ingest_records}, as the last {@link #syncDatasets} left them.
   */
  List<IngestRecords> ingestRecords() {
    return ingestRecords;
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
    run.cells.forEach(
        (series, cell) -> {
          if (series.family().exported()) {
            values.add(
                new SeriesValue(
                    series.family().sampleName(),
                    series.labels(),
                    cell.get(),
                    bound(run, series, Family.LOW),
                    bound(run, series, Family.HIGH)));
          }
        });
    sampleSeries
        .getOrDefault(runId, Map.of())
        .forEach(
            (series, value) ->
                values.add(
                    new SeriesValue(
                        series.family().sampleName(), series.labels(), value, null, null)));
    values.sort(Comparator.comparing(SeriesValue::name).thenComparing(v -> v.labels().toString()));
    return Optional.of(new RunView(run.meta, values));
  }

  /**
   * The estimate's current low or high bound; null if it has none (or NaN: its last event had
   * none).
   */
  private static Double bound(LiveRun run, Series estimate, String which) {
    Cell cell = estimate.bound(which).map(run.cells::get).orElse(null);
    return cell == null || !Double.isFinite(cell.get()) ? null : cell.get();
  }

  /** Run ids currently live. */
  public List<String> runIds() {
    return runs.keySet().stream().sorted().toList();
  }
}
