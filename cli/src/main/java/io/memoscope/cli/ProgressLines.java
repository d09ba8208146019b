package io.memoscope.cli;

import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.HeadStepMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.train.Divergence;
import io.memoscope.trainer.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/** A training run's progress for people: a line per logged step and per evaluation, on stderr. */
final class ProgressLines implements TrainingListener {

  private final PrintWriter err;
  private final String runId;
  private long totalSteps;
  private long firstStepAt;
  private long firstStep;

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

  /**
   * samples/s is training speed: evaluations, probes and checkpoints are left out of it (they show
   * on lines of their own); the ETA is wall-clock, from the pace of the run so far, those included.
   */
  @Override
  public void onStep(StepMetrics metrics) {
    long now = System.nanoTime();
    if (firstStepAt == 0) {
      firstStepAt = now;
      firstStep = metrics.step();
    }
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "epoch %d step %,d/%,d  %,.0f samples/s  loss %.3f  acc %.3f",
                metrics.epoch(),
                metrics.step(),
                totalSteps,
                metrics.samplesPerSecond(),
                metrics.classLoss(),
                metrics.trainAccuracy()));
    for (HeadStepMetrics head : metrics.heads()) {
      line.append(
          String.format(Locale.ROOT, "  rla[%s] %.3f", head.head(), head.runningAccuracy()));
    }
    eta(now, metrics.step()).ifPresent(eta -> line.append("  ETA ").append(eta));
    err.println(line);
    err.flush();
  }

  /**
   * The rest of the run at the pace since the first line, e.g. {@code 3m20s}; none on the first
   * line.
   */
  private Optional<String> eta(long now, long step) {
    long stepsSince = step - firstStep;
    if (stepsSince <= 0 || totalSteps <= step) {
      return Optional.empty();
    }
    long seconds = Math.round((now - firstStepAt) / 1e9 / stepsSince * (totalSteps - step));
    return Optional.of(
        seconds >= 3600
            ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
            : seconds >= 60
                ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60)
                : seconds + "s");
  }

  /** A run that stops for it says so in its error line; one that trains on says so here, once. */
  @Override
  public void onDivergence(Divergence divergence) {
    if (!divergence.stops()) {
      err.printf(
          "run %s diverged at %s; training goes on (on-divergence: continue)%n",
          runId, divergence.describe());
      err.flush();
    }
  }

  @Override
  public void onEvaluation(EvaluationMetrics metrics) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "eval step %,d: train acc %.3f  test acc %.3f  gap %.3f",
                metrics.step(),
                metrics.trainAccuracy(),
                metrics.testAccuracy(),
                metrics.generalizationGap()));
    for (HeadEvaluation head : metrics.heads()) {
      line.append(
          String.format(
              Locale.ROOT,
              "  rla[%s] %.3f ±%.3f (M %.3f, test %.3f)",
              head.head(),
              head.trainAccuracy(),
              head.train().interval().halfWidth(),
              head.memorizationIndex(),
              head.testAccuracy()));
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void onProbe(ProbeReport report) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT, "probe step %,d (%.1f s):", report.step(), report.seconds()));
    for (ProbeResult result : report.results()) {
      line.append(
          String.format(
              Locale.ROOT,
              "  %s fit %.3f vs test %.3f, difference %s",
              result.head(),
              result.train().value(),
              result.test().value(),
              ProbeCommand.format(result.difference())));
    }
    err.println(line);
    err.flush();
  }
}
