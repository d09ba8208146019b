package io.memoscope.cli;

import io.memoscope.protocol.HeadId;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One run of a sweep: its settings, what its evaluations measured (heard as a {@link
 * TrainingListener}), and how it ended.
 */
final class ExperimentRun implements TrainingListener {

  /** One evaluation; {@code epoch} is the number of epochs finished when it was taken. */
  record Evaluation(
      int epoch, long step, double trainAccuracy, double testAccuracy, List<HeadEvaluation> heads) {

    double gap() {
      return trainAccuracy - testAccuracy;
    }

    /**
     * Tap → random-label accuracy on the training subset, averaged over the tap's labelings, in
     * head order.
     */
    Map<String, Double> rlaByTap() {
      return byTap(HeadEvaluation::trainAccuracy);
    }

    /** Tap → memorization index, averaged over the tap's labelings. */
    Map<String, Double> indexByTap() {
      return byTap(HeadEvaluation::memorizationIndex);
    }

    /** Tap → RLA with its interval, averaged over the tap's labelings ({@link #meanOf}). */
    Map<String, Interval> rlaIntervalByTap() {
      return intervalsByTap(head -> head.train().interval());
    }

    /** Tap → memorization index with its interval, averaged over the tap's labelings. */
    Map<String, Interval> indexIntervalByTap() {
      return intervalsByTap(HeadEvaluation::memorizationIndexInterval);
    }

    /** Samples the training-subset RLA was counted on (the evaluation subset); 0 without heads. */
    long evaluatedSamples() {
      return heads.stream().mapToLong(h -> h.train().trials()).max().orElse(0);
    }

    /** The co-trained head with this id ({@code tap/labeling}), or null. */
    HeadEvaluation head(String id) {
      return heads.stream().filter(h -> h.head().equals(id)).findFirst().orElse(null);
    }

    private Map<String, Double> byTap(ToDoubleFunction<HeadEvaluation> metric) {
      Map<String, List<Double>> byTap = new LinkedHashMap<>();
      for (HeadEvaluation head : heads) {
        byTap
            .computeIfAbsent(tapOf(head.head()), t -> new ArrayList<>())
            .add(metric.applyAsDouble(head));
      }
      Map<String, Double> means = new LinkedHashMap<>();
      byTap.forEach(
          (tap, values) ->
              means.put(
                  tap,
                  values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
      return means;
    }

    private Map<String, Interval> intervalsByTap(Function<HeadEvaluation, Interval> metric) {
      Map<String, List<Interval>> byTap = new LinkedHashMap<>();
      for (HeadEvaluation head : heads) {
        byTap.computeIfAbsent(tapOf(head.head()), t -> new ArrayList<>()).add(metric.apply(head));
      }
      Map<String, Interval> means = new LinkedHashMap<>();
      byTap.forEach((tap, intervals) -> means.put(tap, meanOf(intervals)));
      return means;
    }
  }

  /**
   * The labelings of one tap as one interval: the mean of their values, lows and highs. The
   * labelings share their samples, so their errors are not independent and the interval of the mean
   * cannot be narrowed by √K; the mean of the bounds is exact when they move together and
   * conservative (too wide) when they do not. One labeling: its own interval.
   */
  static Interval meanOf(List<Interval> intervals) {
    return new Interval(
        intervals.stream().mapToDouble(Interval::value).average().orElse(Double.NaN),
        intervals.stream().mapToDouble(Interval::low).average().orElse(Double.NaN),
        intervals.stream().mapToDouble(Interval::high).average().orElse(Double.NaN));
  }

  /** One probe of the run; {@code epoch} is the number of epochs finished when it was heard. */
  record Probe(int epoch, ProbeReport report) {

    long step() {
      return report.step();
    }
  }

  /** The run's name: its configuration, and {@code -s<seed>} when the sweep runs several seeds. */
  final String name;

  /** The sweep's run entry this is one seed of. */
  final String configuration;

  /**
   * The seed the sweep gave this run ({@code seeds:} / {@code --seeds}); null: the config's own.
   */
  final Long sweepSeed;

  final String runId;
  final Map<String, String> overrides;

  /** The run's resolved config as dotted keys; null when it could not be built. */
  Map<String, String> config;

  final List<Evaluation> evaluations = new ArrayList<>();

  /** Every probe heard, in order; empty when {@code probe.every} is 0 (the default). */
  final List<Probe> probes = new ArrayList<>();

  volatile String backend;
  RunSummary summary;
  String error;
  boolean finished;
  double wallSeconds;

  private final PrintWriter progress;
  private volatile int epochsDone;

  /** A run of a sweep without seeds: its name is its configuration, its seed the config's. */
  ExperimentRun(String name, String runId, Map<String, String> overrides, PrintWriter progress) {
    this(name, null, runId, overrides, progress);
  }

  ExperimentRun(
      String configuration,
      Long sweepSeed,
      String runId,
      Map<String, String> overrides,
      PrintWriter progress) {
    this.configuration = configuration;
    this.sweepSeed = sweepSeed;
    this.name = sweepSeed == null ? configuration : configuration + "-s" + sweepSeed;
    this.runId = runId;
    this.overrides = Map.copyOf(overrides);
    this.progress = progress;
  }

  boolean failed() {
    return error != null;
  }

  /** The evaluation a probe followed (the one at the probe's step), or null. */
  Evaluation evaluationAt(long step) {
    return evaluations.stream()
        .filter(e -> e.step() == step)
        .reduce((first, second) -> second)
        .orElse(null);
  }

  /** The last probe at this step, or null. */
  Probe probeAt(long step) {
    return probes.stream()
        .filter(p -> p.step() == step)
        .reduce((first, second) -> second)
        .orElse(null);
  }

  Probe lastProbe() {
    return probes.isEmpty() ? null : probes.get(probes.size() - 1);
  }

  boolean deepestTapMissing() {
    return last() == null || last().rlaByTap().isEmpty();
  }

  Evaluation last() {
    return evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
  }

  /**
   * Chance 1/n of the random labels, recovered from M = (RLA − c)/(1 − c) of the first head that
   * allows it.
   */
  OptionalDouble chance() {
    for (Evaluation evaluation : evaluations) {
      for (HeadEvaluation head : evaluation.heads()) {
        double m = head.memorizationIndex();
        if (m < 0.9) {
          return OptionalDouble.of((head.trainAccuracy() - m) / (1 - m));
        }
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * The seed the run trained with: the sweep's, else its resolved config's; null when neither is
   * known.
   */
  Long seed() {
    if (sweepSeed != null) {
      return sweepSeed;
    }
    try {
      return config == null || config.get("seed") == null
          ? null
          : Long.valueOf(config.get("seed").strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Finished with at least one evaluation: a run the report's statistics can use. */
  boolean measured() {
    return !failed() && last() != null;
  }

  /**
   * Tap → the independent probe's random-label accuracy (its train fit) at the last probe, averaged
   * over the tap's labelings, in the probe's tap order; empty when the run never probed.
   */
  Map<String, Double> probeRlaByTap() {
    Map<String, List<Double>> byTap = new LinkedHashMap<>();
    if (lastProbe() != null) {
      for (ProbeResult result : lastProbe().report().results()) {
        byTap.computeIfAbsent(result.tap(), t -> new ArrayList<>()).add(result.train().value());
      }
    }
    Map<String, Double> means = new LinkedHashMap<>();
    byTap.forEach(
        (tap, values) ->
            means.put(
                tap,
                values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
    return means;
  }

  /** The resolved value of λ when it is one plain number (not per tap). */
  OptionalDouble lambda() {
    if (config == null) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(
          Double.parseDouble(config.getOrDefault("heads.lambda", "0").strip()));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  static String tapOf(String head) {
    return HeadId.parse(head).tap();
  }

  @Override
  public void onStart(String backend, long totalSteps) {
    this.backend = backend;
    line(String.format(Locale.ROOT, "started on %s: %,d steps", backend, totalSteps));
  }

  @Override
  public void onEpochEnd(int epoch, long step, EpochTally tally) {
    epochsDone = epoch;
  }

  @Override
  public void onEvaluation(EvaluationMetrics metrics) {
    Evaluation evaluation =
        new Evaluation(
            epochsDone,
            metrics.step(),
            metrics.trainAccuracy(),
            metrics.testAccuracy(),
            metrics.heads());
    synchronized (this) {
      evaluations.add(evaluation);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "epoch %d step %,d: train acc %.3f  test acc %.3f  gap %.3f",
                evaluation.epoch(),
                evaluation.step(),
                evaluation.trainAccuracy(),
                evaluation.testAccuracy(),
                evaluation.gap()));
    evaluation
        .rlaByTap()
        .forEach((tap, rla) -> text.append(String.format(Locale.ROOT, "  rla[%s] %.3f", tap, rla)));
    line(text.toString());
  }

  @Override
  public void onProbe(ProbeReport report) {
    Probe probe = new Probe(epochsDone, report);
    synchronized (this) {
      probes.add(probe);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "epoch %d step %,d: probe of %,d samples, " + "%.1f s",
                probe.epoch(),
                report.step(),
                report.samples(),
                report.seconds()));
    for (ProbeResult result : report.results()) {
      text.append(
          String.format(
              Locale.ROOT,
              "  fit[%s] train %.3f test %.3f",
              result.head(),
              result.train().value(),
              result.test().value()));
    }
    line(text.toString());
  }

  void line(String text) {
    synchronized (progress) {
      progress.println("[" + name + "] " + text);
      progress.flush();
    }
  }
}
