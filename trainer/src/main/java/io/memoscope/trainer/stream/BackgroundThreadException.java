package io.memoscope.trainer.stream;

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
    String message =
        cause.getMessage() == null ? "" : ": " + cause.getMessage().replaceAll("\\s*\\R\\s*", " ");
    return cause.getClass().getName() + message;
  }
}
