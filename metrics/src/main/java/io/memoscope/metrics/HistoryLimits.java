package io.memoscope.metrics;

import java.time.Duration;

/**
 * What the history endpoints ({@code /api/runs/{id}...}) may use, so that a burst of them cannot
 * starve {@code /metrics} or exhaust the heap.
 *
 * @param concurrency history requests worked on at once (each reads Kafka and builds a JSON body)
 * @param queue history requests waiting beyond those; a request finding the queue full gets 503
 *     with {@code Retry-After}
 * @param eventsPerRun the most events kept of one run's history, the newest (older ones are dropped
 *     and the answer says {@code "truncated": true})
 * @param eventsCached the most events kept over all cached runs; the runs asked for least recently
 *     are dropped first
 * @param runsCached the most runs cached, whatever their size
 * @param freshFor how long a cached history is served without asking Kafka for appended events:
 *     concurrent requests for one run share one read
 */
record HistoryLimits(
    int concurrency,
    int queue,
    int eventsPerRun,
    long eventsCached,
    int runsCached,
    Duration freshFor) {

  /**
   * Half the cores for history workers (one on 2 cores: the other stays free for scrapes and Kafka
   * Streams), 256 waiting, 200,000 events a run, 1,000,000 in all, 64 runs, fresh for 1 s.
   */
  static final HistoryLimits DEFAULTS =
      new HistoryLimits(
          Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
          256,
          200_000,
          1_000_000,
          64,
          Duration.ofSeconds(1));

  HistoryLimits {
    if (concurrency < 1
        || queue < 1
        || eventsPerRun < 1
        || eventsCached < eventsPerRun
        || runsCached < 1) {
      throw new IllegalArgumentException(
          "inconsistent history limits: concurrency "
              + concurrency
              + ", queue "
              + queue
              + ", events per run "
              + eventsPerRun
              + ", events cached "
              + eventsCached
              + ", runs cached "
              + runsCached);
    }
    if (freshFor == null || freshFor.isNegative()) {
      throw new IllegalArgumentException("freshFor must be zero or positive, not " + freshFor);
    }
  }
}
