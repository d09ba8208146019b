package io.memoscope.cli;

import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.HeadStepMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/** A training run's progress for people: a line per logged step and per evaluation, on stderr. */
final class ProgressLines implements TrainingListener {

  private final PrintWriter err;
  private final String runId;
  private long totalSteps;
  private int epoch = 1;

  ProgressLines(PrintWriter err, String runId) {
    this.err = err;
    this.runId = runId;
  }

  @Override
  public void onStart(String backend, long totalSteps) {
    this.totalSteps = totalSteps;
    err.printf("run %s on %s: %,d steps%n", runId, backend, totalSteps);
    err.flush();
  }

  @Override
  public void onStep(StepMetrics metrics) {
    double rate = metrics.samplesPerSecond();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "epoch %d step %,d/%,d  %,.0f samples/s  loss %.3f  acc %.3f", epoch, metrics.step(), totalSteps, rate,
        metrics.classLoss(), metrics.trainAccuracy()));
    for (HeadStepMetrics head : metrics.heads()) {
      line.append(String.format(Locale.ROOT, "  rla[%s] %.3f", head.head(), head.runningAccuracy()));
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void onEvaluation(EvaluationMetrics metrics) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "eval step %,d: train acc %.3f  test acc %.3f  gap %.3f", metrics.step(), metrics.trainAccuracy(),
        metrics.testAccuracy(), metrics.generalizationGap()));
    for (HeadEvaluation head : metrics.heads()) {
      line.append(String.format(Locale.ROOT, "  rla[%s] %.3f ±%.3f (M %.3f, test %.3f)", head.head(),
          head.trainAccuracy(), head.train().interval().halfWidth(), head.memorizationIndex(), head.testAccuracy()));
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void onProbe(ProbeReport report) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "probe step %,d (%.1f s):", report.step(),
        report.seconds()));
    for (ProbeResult result : report.results()) {
      line.append(String.format(Locale.ROOT, "  %s fit %.3f vs test %.3f, difference %s", result.head(),
          result.train().value(), result.test().value(), ProbeCommand.format(result.difference())));
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void onEpochEnd(int finished, long step, EpochTally tally) {
    epoch = finished + 1;
  }
}
