package io.memoscope.trainer.train;

import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import java.util.Map;

/** Hears what a training run measures: the trainer turns these into events and terminal output. */
public interface TrainingListener {

  TrainingListener NONE = new TrainingListener() {};

  default void onStart(String backend, long totalSteps) {}

  default void onStep(StepMetrics metrics) {}

  /** @param ratios layer → ‖update‖ / ‖parameters‖ of one step */
  default void onUpdateRatios(long step, Map<String, Double> ratios) {}

  default void onEvaluation(EvaluationMetrics metrics) {}

  /**
   * @param epoch 1-based, after its last step
   * @param tally the samples the epoch trained, before an interruption included
   */
  default void onEpochEnd(int epoch, long step, EpochTally tally) {}

  /**
   * Every {@code checkpointEvery} steps and at each epoch's end: the model as it is and where the
   * run will continue from. A checkpoint writer saves both.
   */
  default void onCheckpointDue(TrainingPosition next, MultiHeadModel model) {}
}
