package io.memoscope.ingest;

/**
 * An ingest that did not commit. The message is one line saying why; nothing of the ingest is
 * visible to {@code read_committed} consumers.
 */
public class IngestException extends RuntimeException {

  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
