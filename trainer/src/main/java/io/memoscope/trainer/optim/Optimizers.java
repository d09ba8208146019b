package io.memoscope.trainer.optim;

import io.memoscope.trainer.config.OptimizerConfig;
import io.memoscope.trainer.config.OptimizerConfig.Schedule;
import io.memoscope.trainer.config.TrainingConfig;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Turns the optimizer settings into an ND4J updater with its learning-rate schedule.
 *
 * <p>"SGD with momentum" is ND4J's {@link Nesterovs}: ND4J has no heavy-ball momentum updater, and
 * Nesterov momentum is what WRN and most CIFAR recipes use anyway. Momentum 0 gives plain {@link
 * Sgd}, which keeps no state.
 */
public final class Optimizers {

  private Optimizers() {}

  /**
   * A fresh updater; DL4J clones it per layer, so every head gets its own state.
   *
   * @param totalSteps optimizer steps of the whole run (epochs × batches per epoch)
   */
  public static IUpdater updater(TrainingConfig config, long totalSteps) {
    OptimizerConfig optimizer = config.optimizer();
    ISchedule schedule = schedule(optimizer, totalSteps);
    return switch (optimizer.name()) {
      case SGD ->
          optimizer.momentum() > 0
              ? new Nesterovs(schedule, optimizer.momentum())
              : new Sgd(schedule);
      case ADAM -> new Adam(schedule);
    };
  }

  /**
   * Warm-up, then cosine to the minimum learning rate or constant at the peak; counted in
   * iterations.
   */
  public static WarmupCosineSchedule schedule(OptimizerConfig optimizer, long totalSteps) {
    if (totalSteps < 1 || totalSteps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "total steps must be in [1, " + Integer.MAX_VALUE + "], not " + totalSteps);
    }
    double end =
        optimizer.schedule() == Schedule.COSINE
            ? optimizer.minLearningRate()
            : optimizer.learningRate();
    return new WarmupCosineSchedule(
        ScheduleType.ITERATION,
        optimizer.learningRate(),
        optimizer.effectiveWarmupSteps(totalSteps),
        totalSteps,
        end);
  }
}
