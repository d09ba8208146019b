package io.memoscope.trainer.stream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What went wrong on a run's background threads (prefetch, event sender, dead-letter sender): the
 * first failure that ends the run, and how many records could not be published. The threads report
 * here instead of dying quietly; the training thread checks before every batch ({@link
 * KafkaBatchSource}), so the run fails within a step of the failure, in one line.
 */
final class BackgroundFailures {

  private static final Logger log = LoggerFactory.getLogger(BackgroundFailures.class);

  private record Failure(String thread, Throwable cause) {}

  private final AtomicReference<Failure> first = new AtomicReference<>();
  private final AtomicLong publishFailures = new AtomicLong();

  /** {@code thread} failed with {@code cause}; the run ends with the first such report. */
  void report(String thread, Throwable cause) {
    if (first.compareAndSet(null, new Failure(thread, cause))) {
      // The training thread turns it into the run's one line; the stack trace is for whoever
      // debugs.
      log.debug("{} failed", thread, cause);
    }
  }

  /**
   * A record (event or dead letter) that was not written; counted, whether or not it ends the run.
   */
  void countPublishFailure() {
    publishFailures.incrementAndGet();
  }

  /** Records not written so far. */
  long publishFailures() {
    return publishFailures.get();
  }

  /** Whether a background thread has failed. */
  boolean failed() {
    return first.get() != null;
  }

  /**
   * @throws BackgroundThreadException for the first failure reported, if any
   */
  void throwIfAny() {
    Failure failure = first.get();
    if (failure != null) {
      throw new BackgroundThreadException(failure.thread(), failure.cause());
    }
  }
}
