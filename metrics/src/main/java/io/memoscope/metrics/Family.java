package io.memoscope.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The per-run Prometheus metric families of docs/metrics.md, each with its fixed label keys (after
 * {@code run} and {@code dataset}). Fixed, because Prometheus wants every series of a name to carry
 * the same label names: a missing value is exported as the empty string, never as a missing label.
 *
 * <p>A family made with {@link #Family(Family)} holds the 95 % interval bounds of an estimate
 * family ({@link #bounds()}): the same labels plus {@code bound} = {@value #LOW} | {@value #HIGH}.
 * Bounds are kept in the state like any series and shown with their estimate on {@code /api/runs},
 * but never exported to Prometheus ({@link #exported()}): two more series per estimate would triple
 * the cardinality of the busiest families for a number nobody graphs there.
 */
public enum Family {
  RANDOM_LABEL_ACCURACY(
      "memoscope_random_label_accuracy", Type.GAUGE, "head", "tap", "labeling", "mode", "split"),
  RANDOM_LABEL_CHANCE("memoscope_random_label_chance", Type.GAUGE),
  MEMORIZATION_INDEX("memoscope_memorization_index", Type.GAUGE, "head", "tap", "labeling"),
  ACCURACY("memoscope_accuracy", Type.GAUGE, "split", "mode"),
  GENERALIZATION_GAP("memoscope_generalization_gap", Type.GAUGE),
  LOSS("memoscope_loss", Type.GAUGE, "term", "head", "tap", "labeling"),
  LAMBDA("memoscope_lambda", Type.GAUGE, "head", "tap", "labeling"),
  LEARNING_RATE("memoscope_learning_rate", Type.GAUGE),
  EPOCH("memoscope_epoch", Type.GAUGE),
  STEP("memoscope_step", Type.GAUGE),
  SAMPLES_PER_SECOND("memoscope_samples_per_second", Type.GAUGE),
  UPDATE_RATIO("memoscope_update_ratio", Type.GAUGE, "layer"),
  CONSUMER_LAG_RECORDS("memoscope_consumer_lag_records", Type.GAUGE),
  EPOCH_SAMPLES("memoscope_epoch_samples", Type.GAUGE),
  RUN_FINISHED("memoscope_run_finished", Type.GAUGE),
  RUN_FAILED("memoscope_run_failed", Type.GAUGE),
  RUN_DIVERGED("memoscope_run_diverged", Type.GAUGE),
  PUBLISH_FAILURES("memoscope_publish_failures", Type.COUNTER),
  CHECKPOINTS("memoscope_checkpoints", Type.COUNTER),
  RESUMES("memoscope_resumes", Type.COUNTER),
  BROKER_WAITS("memoscope_broker_waits", Type.COUNTER),
  RUN_DEAD_LETTERS("memoscope_run_dead_letters", Type.COUNTER),
  PROBE_RANDOM_LABEL_ACCURACY(
      "memoscope_probe_random_label_accuracy", Type.GAUGE, "head", "tap", "labeling", "split"),
  PROBE_MEMORIZATION_INDEX(
      "memoscope_probe_memorization_index", Type.GAUGE, "head", "tap", "labeling"),
  // From memoscope.evaluations (EvaluationsProcessor): aggregates of the latest evaluation.
  SAMPLES_MEMORIZED_FRACTION(
      "memoscope_samples_memorized_fraction", Type.GAUGE, "head", "tap", "labeling", "class"),
  SAMPLES("memoscope_samples", Type.GAUGE, "head", "tap", "labeling", "group"),
  // Interval bounds of the estimates above (state and /api/runs only, see the class comment).
  RANDOM_LABEL_ACCURACY_BOUNDS(RANDOM_LABEL_ACCURACY),
  MEMORIZATION_INDEX_BOUNDS(MEMORIZATION_INDEX),
  PROBE_RANDOM_LABEL_ACCURACY_BOUNDS(PROBE_RANDOM_LABEL_ACCURACY),
  PROBE_MEMORIZATION_INDEX_BOUNDS(PROBE_MEMORIZATION_INDEX);

  /** Value of the {@code bound} label of a bounds family: the interval's lower end. */
  public static final String LOW = "low";

  /** Value of the {@code bound} label of a bounds family: the interval's upper end. */
  public static final String HIGH = "high";

  static final String BOUND_LABEL = "bound";

  /** Gauges are exported under their name, counters under name + {@code _total}. */
  public enum Type {
    GAUGE,
    COUNTER
  }

  private static final Map<String, Family> BY_NAME =
      Stream.of(values())
          .collect(Collectors.toUnmodifiableMap(Family::baseName, Function.identity()));
  private static final Map<Family, Family> BOUNDS =
      Stream.of(values())
          .filter(f -> f.estimate != null)
          .collect(Collectors.toUnmodifiableMap(f -> f.estimate, Function.identity()));

  private final String baseName;
  private final Type type;
  private final List<String> labelKeys;

  /** For a bounds family: the family whose estimates it bounds; else null. */
  private final Family estimate;

  Family(String baseName, Type type, String... labelKeys) {
    this.baseName = baseName;
    this.type = type;
    this.labelKeys = List.of(labelKeys);
    this.estimate = null;
  }

  /** The bounds family of {@code estimate}; its name is only a state store key. */
  Family(Family estimate) {
    this.baseName = estimate.baseName + "_bounds";
    this.type = Type.GAUGE;
    this.labelKeys = Stream.concat(estimate.labelKeys.stream(), Stream.of(BOUND_LABEL)).toList();
    this.estimate = estimate;
  }

  /** The name without a {@code _total} suffix, as in an OpenMetrics {@code # TYPE} line. */
  public String baseName() {
    return baseName;
  }

  /** The name of the exported samples: counters end in {@code _total}. */
  public String sampleName() {
    return type == Type.COUNTER ? baseName + "_total" : baseName;
  }

  public Type type() {
    return type;
  }

  /** Label keys besides {@code run} and {@code dataset}, in export order. */
  public List<String> labelKeys() {
    return labelKeys;
  }

  /** Whether the family is published on {@code /metrics} and in OpenMetrics (bounds are not). */
  public boolean exported() {
    return estimate == null;
  }

  /**
   * The HELP line on {@code /metrics}: what the family holds, in the terms of docs/metrics.md. A
   * switch without default, so that a new family does not compile without one.
   */
  public String help() {
    return switch (this) {
      case RANDOM_LABEL_ACCURACY ->
          "Accuracy of a random-label head on its random labels: running (train split, "
              + "during training) or evaluated (train or test split, at EVAL)";
      case RANDOM_LABEL_CHANCE ->
          "Chance level of the random-label accuracy (1/n for n random classes)";
      case MEMORIZATION_INDEX ->
          "Evaluated random-label accuracy of a head corrected for chance, (RLA - 1/n)/(1 - 1/n)";
      case ACCURACY ->
          "Accuracy on the true labels: running (train split, during training) or evaluated (at EVAL)";
      case GENERALIZATION_GAP -> "Evaluated train accuracy minus test accuracy";
      case LOSS -> "Loss of the latest step by term (class, random, regularizer), in nats";
      case LAMBDA -> "Weight of a head's random-label loss";
      case LEARNING_RATE -> "Learning rate of the latest step";
      case EPOCH -> "Epoch of the run's latest event (probes aside)";
      case STEP -> "Step of the run's latest event (probes aside)";
      case SAMPLES_PER_SECOND -> "Training throughput in samples per second";
      case UPDATE_RATIO ->
          "Norm of a layer's update over the norm of its parameters, in the latest step";
      case CONSUMER_LAG_RECORDS ->
          "Records of the epoch's range the trainer's consumer has not read yet";
      case EPOCH_SAMPLES -> "Samples trained in the latest epoch";
      case RUN_FINISHED -> "1 once the run has finished";
      case RUN_FAILED -> "1 once the run has finished failed or diverged, 0 again after a resume";
      case RUN_DIVERGED -> "1 once the run has diverged, 0 again after a resume";
      case PUBLISH_FAILURES ->
          "Records of the run (events, dead letters) the trainer could not publish";
      case CHECKPOINTS -> "Checkpoints the run has written";
      case RESUMES -> "Times the run was resumed";
      case BROKER_WAITS -> "Times the run waited for the broker";
      case RUN_DEAD_LETTERS -> "Records the run sent to dead-letter topics";
      case PROBE_RANDOM_LABEL_ACCURACY ->
          "Random labels a fresh probe fits on a tap's frozen features: training "
              + "samples (train) or as many test samples (test)";
      case PROBE_MEMORIZATION_INDEX -> "Probe memorization index, (train - test)/(1 - test)";
      case SAMPLES_MEMORIZED_FRACTION ->
          "Fraction of a class's evaluation-subset samples whose random label a head predicts at "
              + "the latest evaluation";
      case SAMPLES ->
          "Evaluation-subset samples at the latest evaluation by group: class predicted right or "
              + "wrong, random label memorized or not";
      case RANDOM_LABEL_ACCURACY_BOUNDS,
          MEMORIZATION_INDEX_BOUNDS,
          PROBE_RANDOM_LABEL_ACCURACY_BOUNDS,
          PROBE_MEMORIZATION_INDEX_BOUNDS ->
          "95 % interval bounds of " + estimate.baseName + " (not exported)";
    };
  }

  /** The family of this estimate family's interval bounds, if it has one. */
  public Optional<Family> bounds() {
    return Optional.ofNullable(BOUNDS.get(this));
  }

  static Family ofBaseName(String name) {
    Family family = BY_NAME.get(name);
    if (family == null) {
      throw new IllegalArgumentException("unknown metric family " + name);
    }
    return family;
  }
}
