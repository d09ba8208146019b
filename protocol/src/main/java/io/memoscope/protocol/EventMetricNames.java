package io.memoscope.protocol;

/**
 * The name of every metric a {@link io.memoscope.protocol.avro.TrainingEvent} carries, by event
 * kind: written by the trainer, read by the metrics service and the reports (docs/schema.md lists
 * them with their meaning). Each estimate {@code X} comes with {@code X_low} and {@code X_high},
 * the bounds of its 95 % interval ({@link #low}, {@link #high}). Label names and values are in
 * {@link EventLabels}.
 */
public final class EventMetricNames {

  private EventMetricNames() {}

  // RUN_STARTED: what the run is (besides TOTAL_STEPS, the steps it will take).
  public static final String TOTAL_STEPS = "total_steps";
  public static final String EPOCHS = "epochs";
  public static final String SAMPLES_PER_EPOCH = "samples_per_epoch";
  public static final String CLASSES = "classes";
  public static final String RANDOM_CLASSES = "random_classes";

  /** 1 / random classes: what an untrained head's random-label accuracy reads. */
  public static final String RANDOM_LABEL_CHANCE = "random_label_chance";

  // STEP, the run's own (unlabelled).
  public static final String LOSS_CLASS = "loss_class";

  /** Class accuracy over the batches since the last step event. */
  public static final String ACCURACY_TRAIN_RUNNING = "accuracy_train_running";

  /** STEP: samples trained so far in the run; EPOCH: samples the epoch trained on. */
  public static final String SAMPLES = "samples";

  public static final String LEARNING_RATE = "learning_rate";

  /** STEP: training throughput; RUN_FINISHED: over the whole run. */
  public static final String SAMPLES_PER_SECOND = "samples_per_second";

  /** Records of the epoch not yet read from Kafka. */
  public static final String CONSUMER_LAG = "consumer_lag";

  // STEP, per head (labels head, tap, labeling).
  public static final String LOSS_RANDOM = "loss_random";
  public static final String LOSS_REGULARIZER = "loss_regularizer";
  public static final String LAMBDA = "lambda";
  public static final String RANDOM_LABEL_ACCURACY_RUNNING = "random_label_accuracy_running";

  // STEP, per layer (label layer): |update| / |weights| of the step.
  public static final String UPDATE_RATIO = "update_ratio";

  // EVAL, the run's own.
  public static final String ACCURACY_TRAIN = "accuracy_train";
  public static final String ACCURACY_TEST = "accuracy_test";
  public static final String GENERALIZATION_GAP = "generalization_gap";

  // DEAD_LETTER and RUN_FINISHED: the run's dead letters so far, cumulative.
  public static final String DEAD_LETTERS = "dead_letters";

  // RESUME: where the run goes on from.
  public static final String EPOCH = "epoch";
  public static final String BATCHES_DONE = "batches_done";

  // BROKER_WAIT: the attempt of the waiting (state waiting) and the attempts it took (state
  // recovered).
  public static final String ATTEMPT = "attempt";
  public static final String ATTEMPTS = "attempts";

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

  public static String low(String estimate) {
    return estimate + "_low";
  }

  public static String high(String estimate) {
    return estimate + "_high";
  }
}
