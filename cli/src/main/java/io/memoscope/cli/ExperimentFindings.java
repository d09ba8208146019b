package io.memoscope.cli;

import io.memoscope.cli.PairedComparison.Effect;
import io.memoscope.cli.SeedInterval.Side;
import io.memoscope.trainer.metrics.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The paper's qualitative findings, each decided by a stated statistical rule over seeds (the
 * rules: {@link #PAIRED_RULE} and each finding's own). Nothing here knows what the answer "should"
 * be: a verdict comes only from the rule and the values, and the interval that decided it is
 * printed with it.
 */
final class ExperimentFindings {

  enum Verdict {
    HOLDS,
    DOES_NOT_HOLD,
    NO_MEASURABLE_EFFECT,
    NOT_MEASURED;

    /** "holds", "does not hold", "no measurable effect", "not measured". */
    String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** One finding: its id, what it claims, the verdict, the values compared and the rule. */
  record Finding(String id, String claim, Verdict verdict, String values, String rule) {

    String markdown() {
      return String.format(
          "- **(%s) %s: %s.** %s. Rule: %s.", id, claim, verdict.text(), values, rule);
    }
  }

  /** One λ of the dose-response: its paired differences from the baseline. */
  record LambdaDose(
      double lambda,
      PairedComparison head,
      PairedComparison probe,
      PairedComparison testAccuracy) {}

  /** The rule every paired comparison follows, stated once in the report. */
  static final String PAIRED_RULE =
      "for each seed s both runs finished, d_s = value(run, s) − value(baseline, s); "
          + "d̄ ± t_{0.975, n−1} · sd(d)/√n is its 95 % interval over the n seeds (Student t); \"lowers\" when the "
          + "whole interval is below 0, \"raises\" when it is above 0, else \"no measurable effect\"; with fewer than "
          + "2 paired seeds, \"not measured\"";

  static final Set<String> REGULARIZER_KEYS =
      Set.of(
          "regularization.dropout",
          "regularization.weight-decay",
          "regularization.label-smoothing");
  static final String AUGMENTATION_PREFIX = "augmentation.";

  // The claims and rules of (a), (b), (d) and (e), as printed in the report; (c)'s name their
  // configuration.
  private static final String ABOVE_CHANCE_CLAIM =
      """
      with λ = 0, random-label accuracy rises above chance while train and test accuracy separate""";
  private static final String ABOVE_CHANCE_RULE =
      """
      baseline, 95 % interval over seeds of: the final deepest-tap RLA (wholly above chance 1/n), the final \
      gap train − test accuracy (wholly above 0) and the gap's growth, last − first evaluation per seed \
      (wholly above 0); holds when all three are, does not hold when any lies wholly below its reference, else \
      no measurable effect; needs ≥ 2 seeds""";
  private static final String DEPTH_CLAIM = "random-label accuracy rises with depth";
  private static final String DEPTH_RULE =
      """
      the baseline's final RLA per tap (the independent probe's train fit when every baseline run probed, \
      which reads every tap through the same recipe and readout; else the co-trained heads): per seed d_s = \
      deepest tap − shallowest tap; holds when its 95 % interval over seeds is wholly above 0, does not hold \
      when wholly below, else no measurable effect; needs heads or probes at ≥ 2 taps and ≥ 2 seeds""";
  private static final String LAMBDA_HEAD_CLAIM =
      "λ > 0 lowers the co-trained head's random-label accuracy";
  private static final String LAMBDA_HEAD_RULE =
      """
      the paired rule per λ on the final deepest-tap RLA of the co-trained head; holds when some λ lowers it, \
      does not hold when none lowers it and some raises it, else no measurable effect; the smallest λ that \
      lowers it and the trend (slope of d over log10 λ per seed, 95 % interval over seeds) are reported beside""";
  private static final String LAMBDA_PROBE_CLAIM =
      """
      where λ lowers the co-trained head's RLA, it removes the information (the independent probe's RLA falls \
      too) rather than only fooling the head""";
  private static final String LAMBDA_PROBE_RULE =
      """
      at every λ whose co-trained head the paired rule says λ lowers, the paired rule on the independent \
      probe's RLA (train fit, deepest probed tap, last probe): "lowers" = λ removed the information, "no \
      measurable effect" or "raises" = λ only fooled the head; holds when λ removed it at every such λ, does \
      not hold when it only fooled the head at some; not measured without such a λ or without probes""";
  private static final String LAMBDA_TEST_CLAIM = "test accuracy does not improve with λ";
  private static final String LAMBDA_TEST_RULE =
      """
      the paired rule per λ on the final test accuracy, read two-sided: "raises" = improves, "no measurable \
      effect" = unchanged, "lowers" = impairs; does not hold when some λ improves it, holds when every \
      measured λ leaves it unchanged or impairs it (unchanged: no improvement could be measured, which the \
      claim allows; few seeds make the interval wide)""";

  private final List<ExperimentConfiguration> configurations;

  ExperimentFindings(List<ExperimentRun> runs) {
    this.configurations = ExperimentConfiguration.group(runs);
  }

  List<ExperimentConfiguration> configurations() {
    return configurations;
  }

  /**
   * The configuration named {@code baseline}, else the first without training overrides; only with
   * λ = 0.
   */
  ExperimentConfiguration baseline() {
    ExperimentConfiguration chosen =
        configurations.stream()
            .filter(c -> c.name().equals("baseline"))
            .findFirst()
            .orElse(
                configurations.stream()
                    .filter(c -> c.trainingOverrides().isEmpty())
                    .findFirst()
                    .orElse(null));
    return chosen == null || chosen.lambda().orElse(-1) != 0 ? null : chosen;
  }

  /**
   * Configurations that change only dropout, weight decay, label smoothing and/or augmentation,
   * with λ = 0: each is compared with the baseline on its own.
   */
  List<ExperimentConfiguration> regularizers() {
    ExperimentConfiguration base = baseline();
    return configurations.stream()
        .filter(
            c ->
                c != base
                    && !c.trainingOverrides().isEmpty()
                    && c.trainingOverrides().stream()
                        .allMatch(
                            k -> REGULARIZER_KEYS.contains(k) || k.startsWith(AUGMENTATION_PREFIX))
                    && c.lambda().orElse(-1) == 0)
        .toList();
  }

  /** Configurations whose only training override is heads.lambda, a number above 0; by λ. */
  List<ExperimentConfiguration> lambdas() {
    return configurations.stream()
        .filter(
            c -> c.trainingOverrides().equals(Set.of("heads.lambda")) && c.lambda().orElse(0) > 0)
        .sorted(Comparator.comparingDouble(c -> c.lambda().orElse(0)))
        .toList();
  }

  // ---- what a run measured ----

  static String deepestTap(ExperimentRun run) {
    List<String> taps = List.copyOf(run.last().rlaByTap().keySet());
    return taps.isEmpty() ? null : taps.get(taps.size() - 1);
  }

  /** The final deepest-tap RLA of the co-trained head; NaN without heads. */
  static double deepestRla(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? Double.NaN : run.last().rlaByTap().get(tap);
  }

  static double deepestIndex(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? Double.NaN : run.last().indexByTap().get(tap);
  }

  /** The final deepest-tap RLA with its 95 % Wilson interval; null without heads. */
  static Interval deepestRlaInterval(ExperimentRun run) {
    String tap = deepestTap(run);
    return tap == null ? null : run.last().rlaIntervalByTap().get(tap);
  }

  /**
   * The independent probe's RLA (train fit) at the deepest tap it read, at the last probe; NaN if
   * none.
   */
  static double deepestProbeRla(ExperimentRun run) {
    List<Double> values = List.copyOf(run.probeRlaByTap().values());
    return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
  }

  static double testAccuracy(ExperimentRun run) {
    return run.last().testAccuracy();
  }

  static double finalGap(ExperimentRun run) {
    return run.last().gap();
  }

  /**
   * Tap → its metric's mean over seeds with the 95 % interval, in the first measured run's tap
   * order.
   */
  static Map<String, SeedInterval> byTap(
      ExperimentConfiguration configuration, Function<ExperimentRun, Map<String, Double>> metric) {
    Map<String, SeedInterval> curve = new LinkedHashMap<>();
    List<ExperimentRun> measured = configuration.measured();
    if (!measured.isEmpty()) {
      for (String tap : metric.apply(measured.get(0)).keySet()) {
        curve.put(
            tap, configuration.overSeeds(run -> metric.apply(run).getOrDefault(tap, Double.NaN)));
      }
    }
    return curve;
  }

  /** Every λ configuration's paired differences from the baseline; empty without a baseline. */
  List<LambdaDose> doseResponse() {
    ExperimentConfiguration base = baseline();
    if (base == null) {
      return List.of();
    }
    return lambdas().stream()
        .map(
            c ->
                new LambdaDose(
                    c.lambda().getAsDouble(),
                    c.versus(base, ExperimentFindings::deepestRla),
                    c.versus(base, ExperimentFindings::deepestProbeRla),
                    c.versus(base, ExperimentFindings::testAccuracy)))
        .toList();
  }

  /**
   * The dose-response's trend: per seed, the least-squares slope of d_s(λ) against log10 λ over the
   * λ runs paired at that seed (at least 2 λ), then the slopes' mean with its 95 % interval over
   * seeds. Slopes per seed keep the pairing; log λ because the grid is spaced by factors of 10.
   */
  SeedInterval trend(ToDoubleFunction<ExperimentRun> metric) {
    ExperimentConfiguration base = baseline();
    if (base == null) {
      return SeedInterval.of(List.of());
    }
    Map<Long, List<double[]>> pointsBySeed = new TreeMap<>();
    for (ExperimentConfiguration lambda : lambdas()) {
      double x = Math.log10(lambda.lambda().getAsDouble());
      PairedComparison paired = lambda.versus(base, metric);
      for (int i = 0; i < paired.seeds().size(); i++) {
        pointsBySeed
            .computeIfAbsent(paired.seeds().get(i), s -> new ArrayList<>())
            .add(new double[] {x, paired.differences().get(i)});
      }
    }
    List<Double> slopes = new ArrayList<>();
    pointsBySeed.values().stream()
        .filter(points -> points.size() >= 2)
        .forEach(points -> slopes.add(slope(points)));
    return SeedInterval.of(slopes);
  }

  static double slope(List<double[]> points) {
    double meanX = points.stream().mapToDouble(p -> p[0]).average().orElse(Double.NaN);
    double meanY = points.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
    double sxy = points.stream().mapToDouble(p -> (p[0] - meanX) * (p[1] - meanY)).sum();
    double sxx = points.stream().mapToDouble(p -> (p[0] - meanX) * (p[0] - meanX)).sum();
    return sxy / sxx;
  }

  // ---- the findings ----

  List<Finding> all() {
    ExperimentConfiguration base = baseline();
    List<Finding> findings = new ArrayList<>();
    findings.add(aboveChance(base));
    findings.add(depth(base));
    findings.addAll(regularizerFindings(base));
    findings.add(lambdaLowersHead(base));
    findings.add(lambdaRemovesInformation(base));
    findings.add(lambdaTestAccuracy(base));
    return findings;
  }

  private static String noBaseline() {
    return "no baseline configuration with λ = 0";
  }

  /** Why a configuration's runs give no interval over seeds, or null when they do. */
  private static String tooFewSeeds(ExperimentConfiguration configuration) {
    int n = configuration.measured().size();
    return n >= 2
        ? null
        : String.format(
            Locale.ROOT,
            "%s has %d measured run%s (needs ≥ 2 seeds)%s",
            configuration.name(),
            n,
            n == 1 ? "" : "s",
            n == 1 ? ": n = 1, no interval over seeds" : "");
  }

  /**
   * Why the baseline alone gives no interval: none, or under 2 measured seeds; null when it does.
   */
  private static String baselineUnmeasured(ExperimentConfiguration base) {
    return base == null ? noBaseline() : tooFewSeeds(base);
  }

  private Finding aboveChance(ExperimentConfiguration base) {
    String unmeasured = baselineUnmeasured(base);
    if (unmeasured != null) {
      return new Finding(
          "a", ABOVE_CHANCE_CLAIM, Verdict.NOT_MEASURED, unmeasured, ABOVE_CHANCE_RULE);
    }
    OptionalDouble chance =
        base.measured().stream()
            .map(ExperimentRun::chance)
            .filter(OptionalDouble::isPresent)
            .findFirst()
            .orElse(OptionalDouble.empty());
    if (chance.isEmpty()) {
      return new Finding(
          "a",
          ABOVE_CHANCE_CLAIM,
          Verdict.NOT_MEASURED,
          "chance level not recoverable from the evaluations",
          ABOVE_CHANCE_RULE);
    }
    SeedInterval rla = base.overSeeds(ExperimentFindings::deepestRla);
    SeedInterval gap = base.overSeeds(ExperimentFindings::finalGap);
    SeedInterval growth = base.overSeeds(run -> run.last().gap() - run.evaluations.get(0).gap());
    List<Side> sides =
        List.of(rla.against(chance.getAsDouble()), gap.against(0), growth.against(0));
    Verdict verdict =
        sides.stream().allMatch(s -> s == Side.ABOVE)
            ? Verdict.HOLDS
            : sides.contains(Side.BELOW)
                ? Verdict.DOES_NOT_HOLD
                : sides.contains(Side.NOT_MEASURED)
                    ? Verdict.NOT_MEASURED
                    : Verdict.NO_MEASURABLE_EFFECT;
    String values =
        String.format(
            Locale.ROOT,
            "baseline: deepest-tap RLA %s vs chance %.3f; final gap %s; gap " + "growth %s",
            rla.text(),
            chance.getAsDouble(),
            gap.signed(),
            growth.signed());
    return new Finding("a", ABOVE_CHANCE_CLAIM, verdict, values, ABOVE_CHANCE_RULE);
  }

  private Finding depth(ExperimentConfiguration base) {
    String unmeasured = baselineUnmeasured(base);
    if (unmeasured != null) {
      return new Finding("b", DEPTH_CLAIM, Verdict.NOT_MEASURED, unmeasured, DEPTH_RULE);
    }
    boolean probed = base.measured().stream().allMatch(r -> !r.probeRlaByTap().isEmpty());
    Function<ExperimentRun, Map<String, Double>> metric =
        probed ? ExperimentRun::probeRlaByTap : run -> run.last().rlaByTap();
    Map<String, SeedInterval> curve = byTap(base, metric);
    if (curve.size() < 2) {
      return new Finding(
          "b",
          DEPTH_CLAIM,
          Verdict.NOT_MEASURED,
          "the baseline has heads at fewer than 2 taps",
          DEPTH_RULE);
    }
    List<String> taps = List.copyOf(curve.keySet());
    String shallowest = taps.get(0);
    String deepest = taps.get(taps.size() - 1);
    SeedInterval rise =
        base.overSeeds(
            run ->
                metric.apply(run).getOrDefault(deepest, Double.NaN)
                    - metric.apply(run).getOrDefault(shallowest, Double.NaN));
    Side side = rise.against(0);
    Verdict verdict =
        side == Side.ABOVE
            ? Verdict.HOLDS
            : side == Side.BELOW
                ? Verdict.DOES_NOT_HOLD
                : side == Side.CONTAINS ? Verdict.NO_MEASURABLE_EFFECT : Verdict.NOT_MEASURED;
    List<String> parts = new ArrayList<>();
    curve.forEach((tap, interval) -> parts.add(tap + " " + interval.text()));
    String values =
        (probed
                ? "baseline, probe RLA by tap: "
                : "baseline, co-trained head RLA by tap (no probe): ")
            + String.join("; ", parts)
            + "; "
            + deepest
            + " − "
            + shallowest
            + " "
            + rise.signed();
    return new Finding("b", DEPTH_CLAIM, verdict, values, DEPTH_RULE);
  }

  private List<Finding> regularizerFindings(ExperimentConfiguration base) {
    String rule =
        "the paired rule on the final deepest-tap RLA (co-trained head) vs the baseline: \"lowers\" "
            + "holds, \"raises\" does not hold";
    List<ExperimentConfiguration> regularized = regularizers();
    if (base == null || regularized.isEmpty()) {
      return List.of(
          new Finding(
              "c",
              "regularizers lower random-label accuracy",
              Verdict.NOT_MEASURED,
              base == null
                  ? noBaseline()
                  : "no configuration that changes only dropout, weight decay, label smoothing "
                      + "or augmentation",
              rule));
    }
    List<Finding> findings = new ArrayList<>();
    for (ExperimentConfiguration configuration : regularized) {
      PairedComparison paired = configuration.versus(base, ExperimentFindings::deepestRla);
      String values =
          String.format(
              Locale.ROOT,
              "deepest-tap RLA: baseline %s, %s %s; paired difference %s",
              base.overSeeds(ExperimentFindings::deepestRla).text(),
              configuration.name(),
              configuration.overSeeds(ExperimentFindings::deepestRla).text(),
              paired.text());
      findings.add(
          new Finding(
              "c",
              configuration.name()
                  + " ("
                  + configuration.overridesText()
                  + ") lowers random-label accuracy",
              lowersVerdict(paired.effect()),
              values,
              rule));
    }
    return findings;
  }

  private static Verdict lowersVerdict(Effect effect) {
    return switch (effect) {
      case LOWERS -> Verdict.HOLDS;
      case RAISES -> Verdict.DOES_NOT_HOLD;
      case NO_MEASURABLE_EFFECT -> Verdict.NO_MEASURABLE_EFFECT;
      case NOT_MEASURED -> Verdict.NOT_MEASURED;
    };
  }

  private Finding lambdaLowersHead(ExperimentConfiguration base) {
    return lambdaFinding(
        "d",
        LAMBDA_HEAD_CLAIM,
        LAMBDA_HEAD_RULE,
        base,
        doses -> {
          String values =
              "co-trained head, deepest-tap RLA − baseline's: "
                  + dosesText(doses, LambdaDose::head)
                  + trendText(ExperimentFindings::deepestRla)
                  + "; smallest λ with a measurable drop: "
                  + smallestLowering(doses, LambdaDose::head);
          Verdict verdict = summaryVerdict(doses.stream().map(d -> d.head().effect()).toList());
          return new Finding("d", LAMBDA_HEAD_CLAIM, verdict, values, LAMBDA_HEAD_RULE);
        });
  }

  private Finding lambdaRemovesInformation(ExperimentConfiguration base) {
    return lambdaFinding("d", LAMBDA_PROBE_CLAIM, LAMBDA_PROBE_RULE, base, this::removedOrFooled);
  }

  private Finding removedOrFooled(List<LambdaDose> doses) {
    String claim = LAMBDA_PROBE_CLAIM;
    String rule = LAMBDA_PROBE_RULE;
    String probes =
        "independent probe, deepest-tap RLA − baseline's: "
            + dosesText(doses, LambdaDose::probe)
            + trendText(ExperimentFindings::deepestProbeRla)
            + "; smallest λ with a measurable drop: "
            + smallestLowering(doses, LambdaDose::probe);
    List<LambdaDose> headDrops =
        doses.stream().filter(d -> d.head().effect() == Effect.LOWERS).toList();
    if (doses.stream().allMatch(d -> d.probe().effect() == Effect.NOT_MEASURED)) {
      return new Finding(
          "d",
          claim,
          Verdict.NOT_MEASURED,
          "no λ run and baseline probed at ≥ 2 common seeds " + "(probe.every)",
          rule);
    }
    if (headDrops.isEmpty()) {
      return new Finding(
          "d",
          claim,
          Verdict.NOT_MEASURED,
          "no λ lowered the co-trained head's RLA measurably, "
              + "so there is nothing to tell apart; "
              + probes,
          rule);
    }
    List<String> readings = new ArrayList<>();
    boolean fooled = false;
    boolean removed = true;
    for (LambdaDose dose : headDrops) {
      Effect probe = dose.probe().effect();
      String reading =
          switch (probe) {
            case LOWERS -> "λ removed the information";
            case NO_MEASURABLE_EFFECT -> "λ only fooled the head";
            case RAISES -> "λ only fooled the head (the probe's RLA rose)";
            case NOT_MEASURED -> "probe not measured";
          };
      fooled |= probe == Effect.NO_MEASURABLE_EFFECT || probe == Effect.RAISES;
      removed &= probe == Effect.LOWERS;
      readings.add("λ=" + number(dose.lambda()) + ": " + reading);
    }
    Verdict verdict =
        fooled ? Verdict.DOES_NOT_HOLD : removed ? Verdict.HOLDS : Verdict.NOT_MEASURED;
    return new Finding("d", claim, verdict, String.join("; ", readings) + "; " + probes, rule);
  }

  private Finding lambdaTestAccuracy(ExperimentConfiguration base) {
    return lambdaFinding(
        "e", LAMBDA_TEST_CLAIM, LAMBDA_TEST_RULE, base, doses -> testAccuracyVerdict(base, doses));
  }

  private static Finding testAccuracyVerdict(ExperimentConfiguration base, List<LambdaDose> doses) {
    List<String> parts = new ArrayList<>();
    for (LambdaDose dose : doses) {
      PairedComparison paired = dose.testAccuracy();
      String word =
          switch (paired.effect()) {
            case RAISES -> "improves";
            case NO_MEASURABLE_EFFECT -> "unchanged";
            case LOWERS -> "impairs";
            case NOT_MEASURED -> paired.effect().text;
          };
      parts.add("λ=" + number(dose.lambda()) + " " + paired.difference().signed() + ": " + word);
    }
    List<Effect> effects = doses.stream().map(d -> d.testAccuracy().effect()).toList();
    Verdict verdict =
        effects.contains(Effect.RAISES)
            ? Verdict.DOES_NOT_HOLD
            : effects.stream().allMatch(e -> e == Effect.NOT_MEASURED)
                ? Verdict.NOT_MEASURED
                : Verdict.HOLDS;
    String values =
        "test accuracy: baseline "
            + base.overSeeds(ExperimentFindings::testAccuracy).text()
            + "; paired difference per λ: "
            + String.join("; ", parts);
    return new Finding("e", LAMBDA_TEST_CLAIM, verdict, values, LAMBDA_TEST_RULE);
  }

  /**
   * "Not measured" without a baseline or a λ configuration to compare with it, else what the doses
   * say.
   */
  private Finding lambdaFinding(
      String id,
      String claim,
      String rule,
      ExperimentConfiguration base,
      Function<List<LambdaDose>, Finding> measured) {
    if (base != null && !lambdas().isEmpty()) {
      return measured.apply(doseResponse());
    }
    return new Finding(
        id,
        claim,
        Verdict.NOT_MEASURED,
        base == null ? noBaseline() : "no configuration that changes only heads.lambda",
        rule);
  }

  /**
   * Some lowers: holds; none lowers, some raises: does not hold; all unmeasured: not measured; else
   * none.
   */
  private static Verdict summaryVerdict(List<Effect> effects) {
    if (effects.contains(Effect.LOWERS)) {
      return Verdict.HOLDS;
    }
    if (effects.contains(Effect.RAISES)) {
      return Verdict.DOES_NOT_HOLD;
    }
    return effects.stream().allMatch(e -> e == Effect.NOT_MEASURED)
        ? Verdict.NOT_MEASURED
        : Verdict.NO_MEASURABLE_EFFECT;
  }

  private static String dosesText(
      List<LambdaDose> doses, Function<LambdaDose, PairedComparison> which) {
    List<String> parts = new ArrayList<>();
    doses.forEach(d -> parts.add("λ=" + number(d.lambda()) + " " + which.apply(d).text()));
    return String.join("; ", parts);
  }

  static String smallestLowering(
      List<LambdaDose> doses, Function<LambdaDose, PairedComparison> which) {
    return doses.stream()
        .filter(d -> which.apply(d).effect() == Effect.LOWERS)
        .findFirst()
        .map(d -> "λ=" + number(d.lambda()))
        .orElse("none");
  }

  private String trendText(ToDoubleFunction<ExperimentRun> metric) {
    SeedInterval slope = trend(metric);
    String reading =
        switch (slope.against(0)) {
          case BELOW -> "falls with λ";
          case ABOVE -> "rises with λ";
          case CONTAINS -> "no measurable trend";
          case NOT_MEASURED -> "not measured (needs ≥ 2 λ and ≥ 2 seeds)";
        };
    return "; trend (slope per decade of λ) " + slope.signed() + ": " + reading;
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.valueOf(value);
  }
}
