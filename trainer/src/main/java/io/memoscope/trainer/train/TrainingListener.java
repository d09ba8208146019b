package io.memoscope.trainer.train;

import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.probe.ProbeReport;
import java.util.Map;

/** Hears what a training run measures: the trainer turns these into events and terminal output. */
public interface TrainingListener {

  TrainingListener NONE = new TrainingListener() {};

  default void onStart(String backend, long totalSteps) {}

  default void onStep(StepMetrics metrics) {}

  /**
   * @param ratios layer → ‖update‖ / ‖parameters‖ of one step
   */
  default void onUpdateRatios(long step, Map<String, Double> ratios) {}

  default void onEvaluation(EvaluationMetrics metrics) {}

  /**
   * After an evaluation that {@code probe.every} says to probe at: fresh probes of the model's
   * taps.
   */
  default void onProbe(ProbeReport report) {}

  /**
   * After an evaluation and its probe, if {@code probe.every} asked for one: nothing more about the
   * evaluation at {@code step} follows.
   */
  default void onEvaluationDone(long step) {}

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

  /**
   * A loss or the parameters became NaN or infinite, first seen at {@code divergence.step()}; heard
   * once per run. With {@code on-divergence: stop} the run then stops.
   */
  default void onDivergence(Divergence divergence) {}
}
