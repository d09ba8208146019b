package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.cli.ExperimentFindings.Finding;
import io.memoscope.cli.ExperimentFindings.Verdict;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Proportion;
import io.memoscope.trainer.probe.ProbeRecipe;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.train.EpochTally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every verdict of every finding, forced by runs built by hand (no training): three seeds per
 * configuration, each run two evaluations at two taps (block1, penultimate) of 1,000 samples and 10
 * random classes, optionally a probe after the last. Hits are per seed 1, 2, 3.
 */
class ExperimentFindingsTest {

  private static final int N = 1000;
  private static final int CLASSES = 10;

  /** Baseline's final penultimate hits per seed: RLA 0.200, 0.210, 0.190. */
  private static final int[] BASE = {200, 210, 190};

  private static final double[] BASE_TEST = {0.85, 0.86, 0.84};

  private final List<ExperimentRun> runs = new ArrayList<>();

  // ---- building runs ----

  /**
   * A configuration, one run per seed: final penultimate hits and test accuracy per seed; block1
   * stays at 110.
   */
  private List<ExperimentRun> configuration(
      String name,
      Map<String, String> overrides,
      String lambda,
      int[] penultimateHits,
      double[] testAccuracy) {
    List<ExperimentRun> made = new ArrayList<>();
    for (int i = 0; i < penultimateHits.length; i++) {
      long seed = i + 1;
      ExperimentRun run =
          new ExperimentRun(
              name,
              seed,
              "t-" + name + "-s" + seed,
              overrides,
              new PrintWriter(new StringWriter()));
      Map<String, String> config = new HashMap<>(overrides);
      config.put("heads.lambda", lambda);
      config.put("seed", String.valueOf(seed));
      run.config = config;
      run.finished = true;
      evaluate(run, 1, 10, 0.70, 0.65, 110, 110);
      evaluate(run, 2, 20, 1.0, testAccuracy[i], 110, penultimateHits[i]);
      made.add(run);
    }
    runs.addAll(made);
    return made;
  }

  private List<ExperimentRun> baseline() {
    return configuration("baseline", Map.of(), "0", BASE, BASE_TEST);
  }

  private List<ExperimentRun> lambda(String value, int[] penultimateHits, double[] testAccuracy) {
    return configuration(
        "lambda-" + value, Map.of("heads.lambda", value), value, penultimateHits, testAccuracy);
  }

  private static void evaluate(
      ExperimentRun run,
      int epoch,
      long step,
      double train,
      double test,
      int block1,
      int penultimate) {
    run.onEpochEnd(epoch, step, EpochTally.EMPTY);
    List<HeadEvaluation> heads =
        List.of(
            new HeadEvaluation(
                "block1/0", CLASSES, new Proportion(block1, N), new Proportion(100, N)),
            new HeadEvaluation(
                "penultimate/0", CLASSES, new Proportion(penultimate, N), new Proportion(100, N)));
    run.onEvaluation(new EvaluationMetrics(step, train, test, heads));
  }

  /**
   * A probe after each run's last evaluation: train-fit hits per seed at block1 and penultimate.
   */
  private static void probe(List<ExperimentRun> runs, int[] block1Hits, int[] penultimateHits) {
    for (int i = 0; i < runs.size(); i++) {
      List<ProbeResult> results =
          List.of(
              new ProbeResult(
                  "block1",
                  0,
                  CLASSES,
                  new Proportion(block1Hits[i], N),
                  new Proportion(150, N),
                  40,
                  40,
                  List.of()),
              new ProbeResult(
                  "penultimate",
                  0,
                  CLASSES,
                  new Proportion(penultimateHits[i], N),
                  new Proportion(150, N),
                  40,
                  40,
                  List.of()));
      runs.get(i)
          .onProbe(new ProbeReport(20, "in run", N, ProbeRecipe.standard(0, 200, 1), results, 1.0));
    }
  }

  private static int[] shift(int[] hits, int... by) {
    int[] shifted = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      shifted[i] = hits[i] + by[i];
    }
    return shifted;
  }

  private static double[] shift(double[] values, double... by) {
    double[] shifted = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      shifted[i] = values[i] + by[i];
    }
    return shifted;
  }

  private List<Finding> findings() {
    return new ExperimentFindings(runs).all();
  }

  private Finding finding(String id, String claimContains) {
    return findings().stream()
        .filter(f -> f.id().equals(id) && f.claim().contains(claimContains))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no finding (" + id + ") " + claimContains + " in " + findings()));
  }

  // ---- (c): each regularizer on its own, augmentation included ----

  @Test
  void eachRegularizerGetsItsOwnVerdictByThePairedRule() {
    baseline();
    configuration(
        "dropout",
        Map.of("regularization.dropout", "0.5"),
        "0",
        shift(BASE, -40, -38, -42),
        BASE_TEST);
    configuration(
        "weight-decay",
        Map.of("regularization.weight-decay", "0.0005"),
        "0",
        shift(BASE, 5, -10, 5),
        BASE_TEST);
    configuration(
        "label-smoothing",
        Map.of("regularization.label-smoothing", "0.1"),
        "0",
        shift(BASE, 20, 22, 18),
        BASE_TEST);
    configuration(
        "augmentation",
        Map.of("augmentation.crop-padding", "2"),
        "0",
        shift(BASE, -30, -31, -29),
        BASE_TEST);

    // d = −0.040, −0.038, −0.042: mean −0.040, sd 0.002, half-width 4.303 · 0.002/√3 = 0.005.
    Finding dropout = finding("c", "dropout");
    assertThat(dropout.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(dropout.values())
        .contains("paired difference -0.040 [-0.045, -0.035], n = 3: lowers");
    assertThat(dropout.claim()).contains("regularization.dropout=0.5");
    Finding weightDecay = finding("c", "weight-decay");
    assertThat(weightDecay.verdict()).isEqualTo(Verdict.NO_MEASURABLE_EFFECT);
    assertThat(weightDecay.values()).contains("n = 3: no measurable effect");
    Finding smoothing = finding("c", "label-smoothing");
    assertThat(smoothing.verdict()).isEqualTo(Verdict.DOES_NOT_HOLD);
    assertThat(smoothing.values()).contains("+0.020 [", ": raises");
    assertThat(finding("c", "augmentation").verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(findings()).filteredOn(f -> f.id().equals("c")).hasSize(4);
  }

  @Test
  void aFailedRunLeavesItsSeedOutOfThePairsAndAllFailedIsNotMeasured() {
    baseline();
    List<ExperimentRun> dropout =
        configuration(
            "dropout",
            Map.of("regularization.dropout", "0.5"),
            "0",
            shift(BASE, -40, -38, -42),
            BASE_TEST);
    dropout.get(2).error = "out of memory";
    List<ExperimentRun> smoothing =
        configuration(
            "label-smoothing",
            Map.of("regularization.label-smoothing", "0.1"),
            "0",
            shift(BASE, 20, 22, 18),
            BASE_TEST);
    smoothing.forEach(run -> run.error = "unknown training setting");

    Finding paired = finding("c", "dropout");
    assertThat(paired.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(paired.values()).contains("n = 2: lowers");
    Finding failed = finding("c", "label-smoothing");
    assertThat(failed.verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(failed.values()).contains("not measured (needs ≥ 2 seeds with both runs)");
  }

  @Test
  void oneSeedMeasuresNothingAndSaysWhy() {
    configuration("baseline", Map.of(), "0", new int[] {200}, new double[] {0.85});
    configuration(
        "dropout",
        Map.of("regularization.dropout", "0.5"),
        "0",
        new int[] {100},
        new double[] {0.85});
    lambda("10", new int[] {100}, new double[] {0.80});

    List<Finding> findings = findings();
    assertThat(findings).allSatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.NOT_MEASURED));
    assertThat(findings.get(0).values())
        .contains("n = 1, no interval over seeds", "needs ≥ 2 seeds");
    // Each rule is printed whole, one line of single-spaced text.
    assertThat(findings)
        .allSatisfy(f -> assertThat(f.rule()).doesNotContain("  ", "\n").isNotBlank());
    assertThat(findings.get(0).rule())
        .contains("the final deepest-tap RLA (wholly above chance 1/n), the final gap");
    assertThat(finding("c", "dropout").values()).contains("0.100 (n = 1, no interval over seeds)");
  }

  @Test
  void withoutABaselineNothingIsCompared() {
    configuration("dropout", Map.of("regularization.dropout", "0.5"), "0", BASE, BASE_TEST);
    lambda("1", BASE, BASE_TEST);

    assertThat(findings())
        .allSatisfy(
            f -> {
              assertThat(f.verdict()).isEqualTo(Verdict.NOT_MEASURED);
              assertThat(f.values()).contains("no baseline configuration with λ = 0");
            });
  }

  // ---- (a) and (b) ----

  @Test
  void aboveChanceHoldsWhenTheIntervalClearsChanceAndFailsWhenItLiesBelow() {
    baseline();
    Finding holds = findings().get(0);
    assertThat(holds.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(holds.values())
        .contains("deepest-tap RLA 0.200 [0.175, 0.225], n = 3 vs chance 0.100");

    runs.clear();
    configuration("baseline", Map.of(), "0", new int[] {90, 92, 88}, BASE_TEST);
    assertThat(findings().get(0).verdict()).isEqualTo(Verdict.DOES_NOT_HOLD);

    runs.clear();
    configuration("baseline", Map.of(), "0", new int[] {140, 100, 80}, BASE_TEST);
    assertThat(findings().get(0).verdict()).isEqualTo(Verdict.NO_MEASURABLE_EFFECT);
  }

  @Test
  void depthUsesTheProbeWhenTheBaselineProbedAndTheHeadsOtherwise() {
    List<ExperimentRun> base = baseline();
    // Heads: block1 0.110, penultimate about 0.200: rises.
    Finding heads = finding("b", "depth");
    assertThat(heads.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(heads.values())
        .contains("co-trained head RLA by tap (no probe)", "penultimate − block1 +0.090");

    // The probe fits block1 better than penultimate at every seed: the curve falls.
    probe(base, new int[] {400, 410, 390}, new int[] {300, 305, 295});
    Finding probes = finding("b", "depth");
    assertThat(probes.verdict()).isEqualTo(Verdict.DOES_NOT_HOLD);
    assertThat(probes.values())
        .contains("probe RLA by tap", "block1 0.400 [", "penultimate − block1 -0.100");
  }

  // ---- (d) and (e) ----

  @Test
  void lambdaDoseResponseNamesTheSmallestLambdaWithADropAndTheTrend() {
    baseline();
    lambda("0.1", shift(BASE, 5, -6, 1), BASE_TEST);
    lambda("1", shift(BASE, -50, -48, -52), BASE_TEST);
    lambda("10", shift(BASE, -100, -101, -99), BASE_TEST);

    Finding head = finding("d", "co-trained head's random-label accuracy");
    assertThat(head.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(head.values())
        .contains(
            "λ=0.1 +0.000 [",
            "n = 3: no measurable effect",
            "λ=1 -0.050 [",
            "smallest λ with a measurable drop: λ=1",
            ": falls with λ");
  }

  @Test
  void lambdaThatRaisesTheHeadDoesNotHoldAndNoEffectIsSaidSo() {
    baseline();
    lambda("1", shift(BASE, 20, 21, 19), BASE_TEST);
    assertThat(finding("d", "co-trained head's random-label accuracy").verdict())
        .isEqualTo(Verdict.DOES_NOT_HOLD);

    runs.clear();
    baseline();
    lambda("1", shift(BASE, 5, -6, 1), BASE_TEST);
    Finding none = finding("d", "co-trained head's random-label accuracy");
    assertThat(none.verdict()).isEqualTo(Verdict.NO_MEASURABLE_EFFECT);
    assertThat(none.values()).contains("smallest λ with a measurable drop: none");
  }

  /**
   * The baseline and λ = 10 probed (baseline probe at penultimate 0.400 ± seed), λ = 10 lowering
   * the head's RLA by 0.100: the probe finding, given what the probe reads at λ = 10.
   */
  private Finding probeFindingWhenLambdaProbeReads(int... lambdaProbePenultimate) {
    probe(baseline(), new int[] {300, 310, 290}, new int[] {400, 410, 390});
    probe(
        lambda("10", shift(BASE, -100, -101, -99), BASE_TEST),
        new int[] {300, 310, 290},
        lambdaProbePenultimate);
    return finding("d", "removes the information");
  }

  @Test
  void whenTheProbeDropsTooLambdaRemovedTheInformation() {
    Finding removed = probeFindingWhenLambdaProbeReads(250, 262, 238);

    assertThat(removed.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(removed.values()).contains("λ=10: λ removed the information", "λ=10 -0.150 [");
  }

  @Test
  void whenOnlyTheHeadDropsLambdaOnlyFooledTheHead() {
    Finding fooled = probeFindingWhenLambdaProbeReads(405, 400, 395);

    assertThat(fooled.verdict()).isEqualTo(Verdict.DOES_NOT_HOLD);
    assertThat(fooled.values())
        .contains("λ=10: λ only fooled the head", "n = 3: no measurable effect");
  }

  @Test
  void withoutProbesOrWithoutAHeadDropTheProbeFindingIsNotMeasured() {
    baseline();
    lambda("10", shift(BASE, -100, -101, -99), BASE_TEST);
    Finding unprobed = finding("d", "removes the information");
    assertThat(unprobed.verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(unprobed.values()).contains("probe.every");

    runs.clear();
    probe(baseline(), new int[] {300, 310, 290}, new int[] {400, 410, 390});
    probe(
        lambda("10", shift(BASE, 5, -6, 1), BASE_TEST),
        new int[] {300, 310, 290},
        new int[] {300, 310, 290});
    Finding noDrop = finding("d", "removes the information");
    assertThat(noDrop.verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(noDrop.values()).contains("no λ lowered the co-trained head's RLA measurably");
  }

  @Test
  void testAccuracyIsReadTwoSidedImprovesUnchangedImpairs() {
    baseline();
    lambda("0.1", BASE, shift(BASE_TEST, 0.004, -0.006, 0.001));
    lambda("1", BASE, shift(BASE_TEST, -0.02, -0.021, -0.019));
    Finding unchangedAndImpairs = finding("e", "test accuracy");
    assertThat(unchangedAndImpairs.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(unchangedAndImpairs.values())
        .contains("λ=0.1 +0.000 [", ": unchanged", "λ=1 -0.020 [", ": impairs");

    lambda("10", BASE, shift(BASE_TEST, 0.03, 0.031, 0.029));
    Finding improves = finding("e", "test accuracy");
    assertThat(improves.verdict()).isEqualTo(Verdict.DOES_NOT_HOLD);
    assertThat(improves.values()).contains("λ=10 +0.030 [", ": improves");
  }
}
