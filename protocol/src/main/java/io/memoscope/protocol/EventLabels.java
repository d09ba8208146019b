package io.memoscope.protocol;

/**
 * Names and values of the labels of {@link io.memoscope.protocol.avro.TrainingEvent}s, written by
 * the trainer and read by the metrics service (docs/schema.md lists which event kind carries
 * which). Metric names are in {@link EventMetricNames}.
 */
public final class EventLabels {

  private EventLabels() {}

  // A head's events (STEP, EVAL, PROBE, DIVERGED): see HeadId.labels().
  public static final String HEAD = "head";
  public static final String TAP = "tap";
  public static final String LABELING = "labeling";

  /** STEP: the layer of an update ratio. */
  public static final String LAYER = "layer";

  /** DEAD_LETTER: the sample topic the record came from. */
  public static final String TOPIC = "topic";

  /**
   * BROKER_WAIT: {@link #STATE_WAITING} when an outage starts, {@link #STATE_RECOVERED} when it
   * ends.
   */
  public static final String STATE = "state";

  public static final String STATE_WAITING = "waiting";
  public static final String STATE_RECOVERED = "recovered";

  /** EPOCH: the digest of the (index, offset) sequence the epoch trained on. */
  public static final String SAMPLE_DIGEST = "sample_digest";

  // RUN_FINISHED: how the run ended, in label OUTCOME.
  public static final String OUTCOME = "outcome";
  public static final String OUTCOME_SUCCEEDED = "succeeded";

  /** A failure: Kafka, a background thread, the data; the message says which. */
  public static final String OUTCOME_FAILED = "failed";

  /**
   * Stopped because a loss or the parameters became NaN or infinite (a DIVERGED event precedes it).
   */
  public static final String OUTCOME_DIVERGED = "diverged";

  // DIVERGED: label TERM names what became non-finite first: one of the TERM_* values; for a head's
  // term the event also has the head's labels (head, tap, labeling).
  public static final String TERM = "term";
  public static final String TERM_CLASS = "class";
  public static final String TERM_RANDOM = "random";
  public static final String TERM_REGULARIZER = "regularizer";
  public static final String TERM_PARAMETERS = "parameters";
}
