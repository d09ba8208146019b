package io.memoscope.trainer.stream;

import io.memoscope.protocol.kafka.AccessFailures;

/**
 * A run's background thread failed (any {@link Throwable}: an {@link OutOfMemoryError} while
 * decoding as much as a failed send), so the run stops. The message is one line: the thread, then
 * the cause's type and message.
 */
public final class BackgroundThreadException extends RuntimeException {

  BackgroundThreadException(String thread, Throwable cause) {
    super(thread + " failed: " + describe(cause), cause);
  }

  private static String describe(Throwable cause) {
    var refused = AccessFailures.describeCause(cause);
    if (refused.isPresent()) {
      return refused.get();
    }
    String message =
        cause.getMessage() == null ? "" : ": " + cause.getMessage().replaceAll("\\s*\\R\\s*", " ");
    return cause.getClass().getName() + message;
  }
}
