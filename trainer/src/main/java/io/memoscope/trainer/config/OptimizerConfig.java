package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_LEARNING_RATE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_MIN_LEARNING_RATE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_MOMENTUM;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_NAME;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_SCHEDULE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_WARMUP_FRACTION;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_WARMUP_STEPS;

/**
 * The optimizer and its learning-rate schedule (linear warm-up, then cosine decay or constant).
 *
 * @param name SGD with (Nesterov) momentum, or Adam
 * @param learningRate peak learning rate, reached at the end of the warm-up
 * @param momentum SGD momentum (Adam keeps its own β defaults)
 * @param schedule after the warm-up: cosine decay to {@code minLearningRate}, or constant
 * @param warmupSteps steps of linear warm-up (0 = use {@code warmupFraction})
 * @param warmupFraction warm-up as a fraction of the run's steps (0 = no warm-up)
 * @param minLearningRate where the cosine ends
 */
public record OptimizerConfig(
    Name name,
    double learningRate,
    double momentum,
    Schedule schedule,
    long warmupSteps,
    double warmupFraction,
    double minLearningRate) {

  public enum Name {
    SGD,
    ADAM
  }

  public enum Schedule {
    COSINE,
    CONSTANT
  }

  public OptimizerConfig {
    require(name != null, OPTIMIZER_NAME, "must be sgd or adam");
    require(
        learningRate > 0 && Double.isFinite(learningRate),
        OPTIMIZER_LEARNING_RATE,
        "must be positive, not " + Numbers.format(learningRate));
    require(
        momentum >= 0 && momentum < 1,
        OPTIMIZER_MOMENTUM,
        "must be in [0, 1), not " + Numbers.format(momentum));
    require(schedule != null, OPTIMIZER_SCHEDULE, "must be cosine or constant");
    require(warmupSteps >= 0, OPTIMIZER_WARMUP_STEPS, "must be >= 0, not " + warmupSteps);
    require(
        warmupFraction >= 0 && warmupFraction < 1,
        OPTIMIZER_WARMUP_FRACTION,
        "must be in [0, 1), not " + Numbers.format(warmupFraction));
    require(
        warmupSteps == 0 || warmupFraction == 0,
        OPTIMIZER_WARMUP_FRACTION,
        "cannot be set together with " + OPTIMIZER_WARMUP_STEPS.key());
    require(
        minLearningRate >= 0 && minLearningRate <= learningRate,
        OPTIMIZER_MIN_LEARNING_RATE,
        "must be in [0, "
            + OPTIMIZER_LEARNING_RATE.key()
            + "], not "
            + Numbers.format(minLearningRate));
  }

  /** The learning rate used when none is given: what works for each optimizer on small CNNs. */
  public static double defaultLearningRate(Name name) {
    return name == Name.ADAM ? 1e-3 : 0.05;
  }

  public static OptimizerConfig defaults() {
    return new OptimizerConfig(
        Name.SGD, defaultLearningRate(Name.SGD), 0.9, Schedule.COSINE, 0, 0, 0);
  }

  /** Warm-up steps of a run of {@code totalSteps} steps, never more than the run. */
  public long effectiveWarmupSteps(long totalSteps) {
    long steps = warmupSteps > 0 ? warmupSteps : Math.round(warmupFraction * totalSteps);
    return Math.min(steps, totalSteps);
  }
}
