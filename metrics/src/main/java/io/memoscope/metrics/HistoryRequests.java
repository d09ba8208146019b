package io.memoscope.metrics;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of the history endpoints, apart from the threads that serve {@code /metrics}, {@code
 * /healthz} and {@code /readyz}: at most {@code concurrency} histories are read and written at
 * once, at most {@code queue} more wait in order, and beyond that a request is refused at once (the
 * caller answers 503) rather than queued without bound.
 */
final class HistoryRequests implements AutoCloseable {

  private final ThreadPoolExecutor workers;

  HistoryRequests(HistoryLimits limits) {
    AtomicInteger count = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            limits.concurrency(),
            limits.concurrency(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(limits.queue()),
            r -> {
              Thread t = new Thread(r, "memoscope-metrics-history-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code request} on a history worker; false (and nothing runs) when the queue is full. */
  boolean submit(Runnable request) {
    try {
      workers.execute(request);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
