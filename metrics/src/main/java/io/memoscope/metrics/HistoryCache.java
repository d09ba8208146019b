package io.memoscope.metrics;

import io.memoscope.protocol.avro.TrainingEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs' histories read from {@code memoscope.events}, cached per run and weighed by their events
 * (see {@link HistoryLimits}). A cached history is extended, not re-read: after {@code freshFor}
 * the next request reads only what was appended since, so a live run's history stays current and an
 * expired run's costs one read. Concurrent requests for one run wait for the same read instead of
 * each reading the partition.
 */
final class HistoryCache {

  /** A run's events at one moment: a copy, safe to use while the cache reads on. */
  record Snapshot(List<TrainingEvent> events, long lastSequence, boolean truncated) {}

  private final Map<String, Object> clientConfig;
  private final Duration timeout;
  private final HistoryLimits limits;

  /** Access order: the first entry is the run asked for least recently. Guarded by itself. */
  private final Map<String, Entry> runs = new LinkedHashMap<>(16, 0.75f, true);

  HistoryCache(Map<String, Object> clientConfig, Duration timeout, HistoryLimits limits) {
    this.clientConfig = Map.copyOf(clientConfig);
    this.timeout = timeout;
    this.limits = limits;
  }

  /** The run's history, read or extended when the cached one is older than {@code freshFor}. */
  Snapshot read(String run) {
    Entry entry;
    synchronized (runs) {
      entry =
          runs.computeIfAbsent(run, r -> new Entry(new RunHistory.Tail(r, limits.eventsPerRun())));
    }
    Snapshot snapshot;
    synchronized (entry) {
      long now = System.nanoTime();
      if (entry.readAt == 0 || now - entry.readAt >= limits.freshFor().toNanos()) {
        entry.tail.advance(clientConfig, timeout);
        entry.readAt = Math.max(1, System.nanoTime());
        entry.weight = entry.tail.events().size();
      }
      snapshot =
          new Snapshot(
              List.copyOf(entry.tail.events()), entry.tail.lastSequence(), entry.tail.truncated());
    }
    if (snapshot.events().isEmpty()) {
      forget(run, entry); // no such run (yet): a stream of unknown ids must not fill the cache
    } else {
      evict(run);
    }
    return snapshot;
  }

  /** Events held over all cached runs (for tests and the docs' figures). */
  long eventsCached() {
    synchronized (runs) {
      return runs.values().stream().mapToLong(e -> e.weight).sum();
    }
  }

  int runsCached() {
    synchronized (runs) {
      return runs.size();
    }
  }

  private void forget(String run, Entry entry) {
    synchronized (runs) {
      runs.remove(run, entry);
    }
  }

  /**
   * Drops the runs asked for least recently until the limits hold; {@code keep} was just asked for.
   */
  private void evict(String keep) {
    synchronized (runs) {
      long total = 0;
      for (Entry e : runs.values()) {
        total += e.weight;
      }
      Iterator<Map.Entry<String, Entry>> oldestFirst = new ArrayList<>(runs.entrySet()).iterator();
      while ((total > limits.eventsCached() || runs.size() > limits.runsCached())
          && oldestFirst.hasNext()) {
        Map.Entry<String, Entry> oldest = oldestFirst.next();
        if (!oldest.getKey().equals(keep)) {
          runs.remove(oldest.getKey());
          total -= oldest.getValue().weight;
        }
      }
    }
  }

  private static final class Entry {
    final RunHistory.Tail tail;

    /**
     * When the tail was last advanced (System.nanoTime, never 0 once read); guarded by this entry.
     */
    long readAt;

    /** The tail's event count after its last read; read under the cache's lock to weigh it. */
    volatile long weight;

    Entry(RunHistory.Tail tail) {
      this.tail = tail;
    }
  }
}
