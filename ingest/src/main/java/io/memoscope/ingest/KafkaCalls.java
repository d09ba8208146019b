package io.memoscope.ingest;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/** Admin calls with a deadline, failing as one-line {@link IngestException}s that say what was being done. */
final class KafkaCalls {

  private KafkaCalls() {}

  static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IngestException(what + ": no answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IngestException(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException(what + ": interrupted");
    }
  }

  /** A short wait between two polls of the cluster's state. */
  static void pause(String what) {
    pause(what, 5);
  }

  /** A wait of {@code millis} between two polls of the cluster's state. */
  static void pause(String what, long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException(what + ": interrupted");
    }
  }
}
