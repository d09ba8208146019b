package io.memoscope.cli;

import io.memoscope.cli.ExperimentRun.Evaluation;
import io.memoscope.trainer.metrics.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The paper's qualitative findings, each checked against the measured numbers with a fixed,
 * stated rule. Nothing here knows what the answer "should" be: a verdict comes only from the
 * rule and the values.
 */
final class ExperimentFindings {

  enum Verdict {
    HOLDS("holds"), DOES_NOT_HOLD("does not hold"), NOT_MEASURED("not measured");

    final String text;

    Verdict(String text) {
      this.text = text;
    }
  }

  /** One finding: its id, what it claims, the verdict, the values compared and the rule. */
  record Finding(String id, String claim, Verdict verdict, String values, String rule) {

    String markdown() {
      return String.format("- **(%s) %s: %s.** %s. Rule: %s.", id, claim, verdict.text, values, rule);
    }
  }

  /** Random-label accuracy at least this far above chance counts as "above chance". */
  static final double ABOVE_CHANCE = 0.05;
  /** A final generalization gap (train − test accuracy) at least this large counts as "separated". */
  static final double GAP = 0.02;
  /** Deepest tap's RLA minus shallowest's at least this much counts as "rises with depth". */
  static final double DEPTH_RISE = 0.02;
  /** A deeper tap may fall below the one before it by at most this much. */
  static final double DEPTH_SLACK = 0.01;
  /** A regularizer "lowers" RLA when its deepest-tap RLA is at least this much below the baseline's. */
  static final double LOWER = 0.02;
  /** λ lowers RLA "sharply" when the memorization index falls to at most this fraction of the baseline's. */
  static final double SHARP_FRACTION = 0.5;
  /** Below this baseline memorization index there is nothing to lower: (d) is not measured. */
  static final double MIN_BASELINE_INDEX = 0.02;
  /** Test accuracy "improves" with λ when it is more than this above the baseline's. */
  static final double IMPROVES = 0.01;

  static final Set<String> REGULARIZER_KEYS = Set.of("regularization.dropout", "regularization.weight-decay",
      "regularization.label-smoothing");

  private final List<ExperimentRun> runs;

  ExperimentFindings(List<ExperimentRun> runs) {
    this.runs = runs;
  }

  /** The run named {@code baseline}, else the first without overrides; only if it finished with λ = 0. */
  ExperimentRun baseline() {
    ExperimentRun chosen = runs.stream().filter(r -> r.name.equals("baseline")).findFirst()
        .orElse(runs.stream().filter(r -> trainingOverrides(r).isEmpty()).findFirst().orElse(null));
    if (chosen == null || chosen.failed() || chosen.last() == null || chosen.lambda().orElse(-1) != 0) {
      return null;
    }
    return chosen;
  }

  /** Finished runs that differ from the base only in dropout, weight decay or label smoothing, with λ = 0. */
  List<ExperimentRun> regularizerRuns() {
    return runs.stream().filter(r -> !r.failed() && r.last() != null && !trainingOverrides(r).isEmpty()
        && REGULARIZER_KEYS.containsAll(trainingOverrides(r)) && r.lambda().orElse(-1) == 0).toList();
  }

  /** Finished runs that differ from the base only in heads.lambda, a number above 0; by λ. */
  List<ExperimentRun> lambdaRuns() {
    return runs.stream().filter(r -> !r.failed() && r.last() != null && trainingOverrides(r).equals(
        Set.of("heads.lambda")) && r.lambda().orElse(0) > 0)
        .sorted(Comparator.comparingDouble(r -> r.lambda().orElse(0))).toList();
  }

  /**
   * The settings a run overrides that change its training: {@code probe.*} aside, since the probe
   * only reads the network (a λ run that also probes is still a λ run).
   */
  static Set<String> trainingOverrides(ExperimentRun run) {
    return run.overrides.keySet().stream().filter(key -> !key.startsWith("probe.")).collect(Collectors.toSet());
  }

  static String deepestTap(ExperimentRun run) {
    List<String> taps = List.copyOf(run.last().rlaByTap().keySet());
    return taps.isEmpty() ? null : taps.get(taps.size() - 1);
  }

  static double deepestRla(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? Double.NaN : run.last().rlaByTap().get(tap);
  }

  static double deepestIndex(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? Double.NaN : run.last().indexByTap().get(tap);
  }

  /** The final deepest-tap RLA with its 95 % interval; null without heads. */
  static Interval deepestRlaInterval(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? null : run.last().rlaIntervalByTap().get(tap);
  }

  /** The final deepest-tap memorization index with its 95 % interval; null without heads. */
  static Interval deepestIndexInterval(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? null : run.last().indexIntervalByTap().get(tap);
  }

  /** A note for a finding's values, not its verdict: whether two compared intervals overlap. */
  static String overlapNote(Interval a, Interval b) {
    if (a == null || b == null || Double.isNaN(a.value()) || Double.isNaN(b.value())) {
      return "no interval to compare";
    }
    return ExperimentFormat.overlap(a, b) ? "intervals overlap" : "intervals apart";
  }

  List<Finding> all() {
    ExperimentRun base = baseline();
    return List.of(aboveChance(base), depth(base), regularizers(base), lambdaLowers(base), lambdaTestAccuracy(base));
  }

  private Finding aboveChance(ExperimentRun base) {
    String claim = "with λ = 0, random-label accuracy rises above chance while train and test accuracy separate";
    String rule = String.format(Locale.ROOT, "baseline's final deepest-tap RLA ≥ 1/n + %.2f, final gap (train − "
        + "test accuracy) ≥ %.2f, and the gap larger at the last evaluation than at the first", ABOVE_CHANCE, GAP);
    if (base == null || base.deepestTapMissing()) {
      return new Finding("a", claim, Verdict.NOT_MEASURED, "no finished baseline run with λ = 0 and heads", rule);
    }
    OptionalDouble chance = base.chance();
    if (chance.isEmpty()) {
      return new Finding("a", claim, Verdict.NOT_MEASURED, "chance level not recoverable from the evaluations", rule);
    }
    Evaluation first = base.evaluations.get(0);
    Evaluation last = base.last();
    double rla = deepestRla(base);
    boolean holds = rla >= chance.getAsDouble() + ABOVE_CHANCE && last.gap() >= GAP && last.gap() > first.gap();
    Interval rlaInterval = deepestRlaInterval(base);
    String values = String.format(Locale.ROOT, "baseline, tap %s: RLA %s vs chance %.3f (%s; first evaluation "
            + "%.3f); train/test accuracy %.3f/%.3f, gap %.3f (first evaluation %.3f) after %d epochs", deepestTap(base),
        ExperimentFormat.interval(rlaInterval), chance.getAsDouble(), rlaInterval.low() > chance.getAsDouble()
            ? "interval above chance" : "interval reaches chance", first.rlaByTap().get(deepestTap(base)),
        last.trainAccuracy(), last.testAccuracy(), last.gap(), first.gap(), last.epoch());
    return new Finding("a", claim, holds ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, values, rule);
  }

  private Finding depth(ExperimentRun base) {
    String claim = "random-label accuracy rises with depth";
    String rule = String.format(Locale.ROOT, "baseline's final RLA per tap in the model's tap order: deepest − "
        + "shallowest ≥ %.2f and no tap more than %.2f below the one before it; needs heads at ≥ 2 taps",
        DEPTH_RISE, DEPTH_SLACK);
    if (base == null || base.last().rlaByTap().size() < 2) {
      return new Finding("b", claim, Verdict.NOT_MEASURED, base == null ? "no finished baseline run with λ = 0"
          : "the baseline has heads at fewer than 2 taps", rule);
    }
    List<Map.Entry<String, Double>> taps = List.copyOf(base.last().rlaByTap().entrySet());
    boolean monotone = true;
    for (int i = 1; i < taps.size(); i++) {
      monotone &= taps.get(i).getValue() >= taps.get(i - 1).getValue() - DEPTH_SLACK;
    }
    double rise = taps.get(taps.size() - 1).getValue() - taps.get(0).getValue();
    List<String> parts = new ArrayList<>();
    taps.forEach(t -> parts.add(String.format(Locale.ROOT, "%s %.3f", t.getKey(), t.getValue())));
    String values = "baseline RLA by tap: " + String.join(", ", parts)
        + String.format(Locale.ROOT, " (deepest − shallowest %+.3f)", rise);
    return new Finding("b", claim, monotone && rise >= DEPTH_RISE ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, values,
        rule);
  }

  private Finding regularizers(ExperimentRun base) {
    String claim = "dropout / weight decay / label smoothing lower random-label accuracy vs the baseline";
    String rule = String.format(Locale.ROOT, "each run that changes only regularization.dropout, -weight-decay or "
        + "-label-smoothing must end with deepest-tap RLA ≤ baseline's − %.2f; holds if every such run does", LOWER);
    List<ExperimentRun> regularized = regularizerRuns();
    if (base == null || regularized.isEmpty()) {
      return new Finding("c", claim, Verdict.NOT_MEASURED, base == null ? "no finished baseline run with λ = 0"
          : "no finished dropout / weight-decay / label-smoothing run", rule);
    }
    double baseRla = deepestRla(base);
    Interval baseInterval = deepestRlaInterval(base);
    List<String> parts = new ArrayList<>();
    int lowered = 0;
    for (ExperimentRun run : regularized) {
      double rla = deepestRla(run);
      boolean lowers = rla <= baseRla - LOWER;
      lowered += lowers ? 1 : 0;
      Interval interval = deepestRlaInterval(run);
      parts.add(String.format(Locale.ROOT, "%s %s (%s; %s)", run.name, ExperimentFormat.interval(interval),
          lowers ? "lower" : "not lower", overlapNote(interval, baseInterval)));
    }
    String values = "deepest-tap RLA: baseline " + ExperimentFormat.interval(baseInterval) + "; "
        + String.join(", ", parts)
        + String.format(Locale.ROOT, "; %d of %d lower", lowered, regularized.size());
    return new Finding("c", claim, lowered == regularized.size() ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, values, rule);
  }

  private Finding lambdaLowers(ExperimentRun base) {
    String claim = "λ > 0 lowers random-label accuracy sharply";
    String rule = String.format(Locale.ROOT, "each run that changes only heads.lambda (> 0) must end with a "
        + "deepest-tap memorization index M ≤ %.2f × the baseline's; holds if every such run does; not measured "
        + "when the baseline's M < %.2f (nothing to lower)", SHARP_FRACTION, MIN_BASELINE_INDEX);
    List<ExperimentRun> lambdas = lambdaRuns();
    if (base == null || lambdas.isEmpty()) {
      return new Finding("d", claim, Verdict.NOT_MEASURED, base == null ? "no finished baseline run with λ = 0"
          : "no finished run that changes only heads.lambda", rule);
    }
    double baseIndex = deepestIndex(base);
    Interval baseInterval = deepestIndexInterval(base);
    String baseText = String.format(Locale.ROOT, "deepest-tap M (RLA): baseline %s (%.3f); ",
        ExperimentFormat.interval(baseInterval), deepestRla(base));
    List<String> parts = new ArrayList<>();
    int sharp = 0;
    for (ExperimentRun run : lambdas) {
      double index = deepestIndex(run);
      boolean lowers = index <= SHARP_FRACTION * baseIndex;
      sharp += lowers ? 1 : 0;
      Interval interval = deepestIndexInterval(run);
      parts.add(String.format(Locale.ROOT, "λ=%s %s (%.3f; %s)", number(run.lambda().getAsDouble()),
          ExperimentFormat.interval(interval), deepestRla(run), overlapNote(interval, baseInterval)));
    }
    String values = baseText + String.join(", ", parts) + String.format(Locale.ROOT, "; %d of %d at or below %.3f",
        sharp, lambdas.size(), SHARP_FRACTION * baseIndex);
    if (baseIndex < MIN_BASELINE_INDEX) {
      return new Finding("d", claim, Verdict.NOT_MEASURED, values, rule);
    }
    return new Finding("d", claim, sharp == lambdas.size() ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, values, rule);
  }

  private Finding lambdaTestAccuracy(ExperimentRun base) {
    String claim = "test accuracy does not improve with λ";
    String rule = String.format(Locale.ROOT, "every run that changes only heads.lambda (> 0) must end with test "
        + "accuracy ≤ the baseline's + %.2f", IMPROVES);
    List<ExperimentRun> lambdas = lambdaRuns();
    if (base == null || lambdas.isEmpty()) {
      return new Finding("e", claim, Verdict.NOT_MEASURED, base == null ? "no finished baseline run with λ = 0"
          : "no finished run that changes only heads.lambda", rule);
    }
    double baseTest = base.last().testAccuracy();
    List<String> parts = new ArrayList<>();
    boolean holds = true;
    for (ExperimentRun run : lambdas) {
      double test = run.last().testAccuracy();
      holds &= test <= baseTest + IMPROVES;
      parts.add(String.format(Locale.ROOT, "λ=%s %.3f", number(run.lambda().getAsDouble()), test));
    }
    String values = String.format(Locale.ROOT, "test accuracy: baseline %.3f; ", baseTest) + String.join(", ", parts);
    return new Finding("e", claim, holds ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, values, rule);
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
        : String.valueOf(value);
  }
}
