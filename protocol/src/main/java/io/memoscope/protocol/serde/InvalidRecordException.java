package io.memoscope.protocol.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A value that memoscope refuses to decode or encode, with a one-line reason meant for the
 * dead-letter headers and the logs.
 *
 * <p>It is a Kafka {@link SerializationException} (hence a RuntimeException) so that Kafka's
 * clients and Kafka Streams' exception handlers treat it as the serialization failure it is. A
 * {@code KafkaConsumer} wraps it in a {@code RecordDeserializationException}: look at {@code
 * getCause()} there. Not to be confused with Kafka's own {@code
 * org.apache.kafka.common.InvalidRecordException}, which is about broker-side batches.
 */
public class InvalidRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What kind of problem it is: coarse enough to count by, e.g. as a metric label. */
  public enum Problem {
    /** Not single-object encoded: too short or without the C3 01 marker. */
    NOT_SINGLE_OBJECT,
    /** The writer schema's fingerprint is not known to this reader. */
    UNKNOWN_SCHEMA,
    /** A well-formed value of a different record type than this serde reads. */
    WRONG_TYPE,
    /**
     * The body does not match its writer schema: truncated, trailing bytes, bad lengths or indices.
     */
    CORRUPT,
    /** The writer schema is known but cannot be resolved against the reader schema. */
    INCOMPATIBLE_SCHEMA,
    /** Decodes fine but a field breaks the contract (dimensions, lengths, label ranges, names). */
    INVALID_FIELD
  }

  private final Problem problem;

  public InvalidRecordException(Problem problem, String message) {
    this(problem, message, null);
  }

  public InvalidRecordException(Problem problem, String message, Throwable cause) {
    super(oneLine(message), cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  // Kafka header values and log lines stay readable only if the reason fits one line; Avro's
  // own messages sometimes span several.
  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
