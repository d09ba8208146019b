package io.memoscope.ingest;

import io.memoscope.protocol.kafka.KafkaCallException;
import io.memoscope.protocol.kafka.KafkaFutures;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaFuture;

/**
 * Admin calls with a deadline, failing as one-line {@link IngestException}s that say what was being
 * done.
 */
final class KafkaCalls {

  private KafkaCalls() {}

  static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return KafkaFutures.get(future, timeout, what);
    } catch (KafkaCallException e) {
      throw new IngestException(e.getMessage(), e.getCause());
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
