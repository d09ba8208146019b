package io.memoscope.metrics;

import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TrainingEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies training events to a run's state, once each.
 *
 * <p>Per event: drop it if its sequence is not above the run's highest applied one (a resumed run
 * re-emits events; an at-least-once restart reprocesses some), skip non-finite metric values
 * (counted as invalid), update the run's series in the {@code run-values} store and its meta in
 * {@code run-meta}, then show the new values in {@link LiveRuns}. Because the de-duplication mark
 * and the values sit in the same changelogged stores, reprocessing after a crash cannot count a
 * checkpoint twice.
 *
 * <p>A PROBE event of an expired run (a probe made long after the run) advances its de-duplication
 * mark but leaves it expired.
 *
 * <p>A wall-clock punctuation fills in the data set and config summary once the run's manifest is
 * in the global {@code runs} store (the manifest and the events come from different topics, in no
 * guaranteed order), and expires finished runs after the retention, measured from the RUN_FINISHED
 * event's timestamp, so that a rebuild expires exactly the same runs.
 */
final class EventsProcessor implements Processor<String, TrainingEvent, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(EventsProcessor.class);

  private final LiveRuns live;
  private final Duration retention;
  private final Duration maintenanceInterval;
  private final Set<String> ownRuns = new HashSet<>();
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, RunMeta> metaStore;
  private KeyValueStore<String, Double> valueStore;
  private KeyValueStore<String, Object> manifests;

  EventsProcessor(LiveRuns live, Duration retention, Duration maintenanceInterval) {
    this.live = live;
    this.retention = retention;
    this.maintenanceInterval = maintenanceInterval;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.metaStore = context.getStateStore(MetricsTopology.RUN_META_STORE);
    this.valueStore = context.getStateStore(MetricsTopology.RUN_VALUES_STORE);
    this.manifests = context.getStateStore(MetricsTopology.RUNS_STORE);
    // Called after the stores were restored from their changelogs: show what they hold.
    int loaded = 0;
    try (KeyValueIterator<String, RunMeta> all = metaStore.all()) {
      while (all.hasNext()) {
        RunMeta meta = all.next().value;
        if (!meta.expired()) {
          live.load(meta, values(meta.run()));
          ownRuns.add(meta.run());
          loaded++;
        }
      }
    }
    log.info(
        "{} task {}: {} live run(s) loaded from the state stores",
        context.applicationId(),
        context.taskId(),
        loaded);
    context.schedule(maintenanceInterval, PunctuationType.WALL_CLOCK_TIME, this::maintain);
  }

  @Override
  public void process(Record<String, TrainingEvent> record) {
    TrainingEvent event = record.value();
    if (event == null) {
      return;
    }
    String run = event.getRunId();
    RunMeta meta = metaStore.get(run);
    if (meta == null) {
      meta = RunMeta.first(run);
    }
    // A resumed trainer re-emits events from its checkpoint's sequence on, starting with its RESUME
    // event: that one takes the number of an event the interrupted process had sent, yet it is new.
    boolean resume = event.getKind() == EventKind.RESUME;
    if (event.getSequence() <= meta.lastSequence() && !resume) {
      live.countDuplicate();
      return;
    }
    if (resume) {
      meta = meta.resumed(event.getTimestamp().toEpochMilli());
    }
    if (meta.expired() && event.getKind() == EventKind.PROBE) {
      // `memoscope probe` on a run whose series have already expired: the probe stays in the run's
      // history (/api/runs/{id}, its OpenMetrics); bringing the run back to /metrics would only
      // last until the next maintenance expires it again.
      metaStore.put(
          run,
          meta.applied(event.getSequence(), event.getTimestamp().toEpochMilli(), false).expire());
      live.countEvent(event.getKind().name());
      return;
    }
    if (EventMapping.hasNonFiniteValue(event)) {
      live.countInvalid(InvalidRecords.NON_FINITE_VALUE);
    }
    if (meta.dataset() == null) {
      RunManifest manifest = manifest(run);
      if (manifest != null) {
        meta = meta.withManifest(manifest);
      }
    }
    List<Update> updates = EventMapping.updates(event);
    Map<Series, Double> changed = new HashMap<>();
    for (Update update : updates) {
      String key = update.series().storeKey(run);
      Double before =
          changed.containsKey(update.series()) ? changed.get(update.series()) : valueStore.get(key);
      double after = update.apply(before);
      valueStore.put(key, after);
      changed.put(update.series(), after);
    }
    boolean finishes = event.getKind() == EventKind.RUN_FINISHED;
    meta = meta.applied(event.getSequence(), event.getTimestamp().toEpochMilli(), finishes);
    metaStore.put(run, meta);
    ownRuns.add(run);
    live.apply(meta, changed);
    live.countEvent(event.getKind().name());
  }

  private void maintain(long now) {
    try (KeyValueIterator<String, RunMeta> all = metaStore.all()) {
      while (all.hasNext()) {
        RunMeta meta = all.next().value;
        if (meta.expired()) {
          continue;
        }
        if (meta.finished() && now - meta.finishedAtMs() >= retention.toMillis()) {
          expire(meta);
        } else if (meta.dataset() == null) {
          RunManifest manifest = manifest(meta.run());
          if (manifest != null) {
            RunMeta updated = meta.withManifest(manifest);
            metaStore.put(meta.run(), updated);
            live.apply(updated, Map.of());
          }
        }
      }
    }
  }

  private void expire(RunMeta meta) {
    List<String> keys = new java.util.ArrayList<>();
    try (KeyValueIterator<String, Double> series =
        valueStore.prefixScan(
            Series.storePrefix(meta.run()),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      series.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(valueStore::delete);
    metaStore.put(meta.run(), meta.expire());
    live.remove(meta.run());
    ownRuns.remove(meta.run());
    log.info("Run {} finished more than {} ago: its series expired", meta.run(), retention);
  }

  private Map<Series, Double> values(String run) {
    Map<Series, Double> values = new HashMap<>();
    try (KeyValueIterator<String, Double> series =
        valueStore.prefixScan(
            Series.storePrefix(run),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      while (series.hasNext()) {
        KeyValue<String, Double> kv = series.next();
        values.put(Series.fromStoreKey(kv.key), kv.value);
      }
    }
    return values;
  }

  private RunManifest manifest(String run) {
    try {
      Object value = manifests.get(run);
      if (value instanceof ValueAndTimestamp<?> timestamped) {
        value = timestamped.value();
      }
      return value instanceof RunManifest manifest ? manifest : null;
    } catch (SerializationException e) {
      // A global store is restored from its topic without deserializing: a bad manifest shows here.
      live.countInvalid(InvalidRecords.reason(e));
      return null;
    }
  }

  @Override
  public void close() {
    // The task is closed or moved to another instance: its runs are no longer this instance's to
    // show.
    ownRuns.forEach(live::remove);
    ownRuns.clear();
  }
}
