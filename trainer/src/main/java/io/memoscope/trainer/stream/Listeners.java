package io.memoscope.trainer.stream;

import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.train.Divergence;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import io.memoscope.trainer.train.TrainingPosition;
import java.util.List;
import java.util.Map;

/** Several listeners heard as one, in order. */
final class Listeners implements TrainingListener {

  private final List<TrainingListener> listeners;

  Listeners(List<TrainingListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onStart(String backend, long totalSteps) {
    listeners.forEach(l -> l.onStart(backend, totalSteps));
  }

  @Override
  public void onStep(StepMetrics metrics) {
    listeners.forEach(l -> l.onStep(metrics));
  }

  @Override
  public void onUpdateRatios(long step, Map<String, Double> ratios) {
    listeners.forEach(l -> l.onUpdateRatios(step, ratios));
  }

  @Override
  public void onEvaluation(EvaluationMetrics metrics) {
    listeners.forEach(l -> l.onEvaluation(metrics));
  }

  @Override
  public void onProbe(ProbeReport report) {
    listeners.forEach(l -> l.onProbe(report));
  }

  @Override
  public void onEvaluationDone(long step) {
    listeners.forEach(l -> l.onEvaluationDone(step));
  }

  @Override
  public void onEpochEnd(int epoch, long step, EpochTally tally) {
    listeners.forEach(l -> l.onEpochEnd(epoch, step, tally));
  }

  @Override
  public void onCheckpointDue(TrainingPosition next, MultiHeadModel model) {
    listeners.forEach(l -> l.onCheckpointDue(next, model));
  }

  @Override
  public void onDivergence(Divergence divergence) {
    listeners.forEach(l -> l.onDivergence(divergence));
  }
}
