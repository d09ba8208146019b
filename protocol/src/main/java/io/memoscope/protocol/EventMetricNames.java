package io.memoscope.protocol;

/**
 * Names of the intervals and probe values in {@link io.memoscope.protocol.avro.TrainingEvent}
 * metrics, and of the run-outcome metrics and labels (publish failures, outcome, divergence
 * term), written by the trainer and read by the metrics service and the report (docs/schema.md
 * lists every event metric). Each estimate {@code X} comes with {@code X_low} and {@code X_high},
 * the bounds of its 95 % interval ({@link #low}, {@link #high}).
 */
public final class EventMetricNames {

  private EventMetricNames() {}

  // EVAL, per head (labels head, tap, labeling): the co-trained head's random-label accuracy.
  /** RLA on the fixed training subset; with Wilson bounds. */
  public static final String RANDOM_LABEL_ACCURACY = "random_label_accuracy";
  /** RLA on test samples (chance by construction); with Wilson bounds. */
  public static final String RANDOM_LABEL_ACCURACY_TEST = "random_label_accuracy_test";
  /** (RLA − 1/n)/(1 − 1/n); bounds are the RLA's carried through. */
  public static final String MEMORIZATION_INDEX = "memorization_index";
  /** Samples the training-subset RLA was counted on. */
  public static final String EVALUATED_SAMPLES = "evaluated_samples";
  /** Samples the test RLA was counted on. */
  public static final String EVALUATED_SAMPLES_TEST = "evaluated_samples_test";

  // PROBE, per tap and labeling (labels head, tap, labeling): a fresh probe of frozen features.
  /** Fraction of the training subset's random labels the probe fits; with Wilson bounds. */
  public static final String PROBE_ACCURACY = "probe_random_label_accuracy";
  /** The same recipe fitted on as many test samples; with Wilson bounds. */
  public static final String PROBE_ACCURACY_TEST = "probe_random_label_accuracy_test";
  /** Train fit − test fit; with Newcombe's bounds. */
  public static final String PROBE_DIFFERENCE = "probe_difference";
  /** (train fit − test fit)/(1 − test fit). */
  public static final String PROBE_MEMORIZATION_INDEX = "probe_memorization_index";
  /** Samples per split each probe was fitted on. */
  public static final String PROBE_SAMPLES = "probe_samples";

  // STEP (the run's own, unlabelled) and RUN_FINISHED: records of the run (events, dead letters)
  // that could not be published so far, cumulative.
  public static final String PUBLISH_FAILURES = "publish_failures";

  // RUN_FINISHED: how the run ended, in label OUTCOME.
  public static final String OUTCOME = "outcome";
  public static final String OUTCOME_SUCCEEDED = "succeeded";
  /** A failure: Kafka, a background thread, the data; the message says which. */
  public static final String OUTCOME_FAILED = "failed";
  /** Stopped because a loss or the parameters became NaN or infinite (a DIVERGED event precedes it). */
  public static final String OUTCOME_DIVERGED = "diverged";

  // DIVERGED: label TERM names what became non-finite first: one of the TERM_* values; for a head's
  // term the event also has the head's labels (head, tap, labeling).
  public static final String TERM = "term";
  public static final String TERM_CLASS = "class";
  public static final String TERM_RANDOM = "random";
  public static final String TERM_REGULARIZER = "regularizer";
  public static final String TERM_PARAMETERS = "parameters";

  public static String low(String estimate) {
    return estimate + "_low";
  }

  public static String high(String estimate) {
    return estimate + "_high";
  }
}
