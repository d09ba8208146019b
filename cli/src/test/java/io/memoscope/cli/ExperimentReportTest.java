package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.metrics.Proportion;
import io.memoscope.trainer.probe.ProbeRecipe;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.train.EpochTally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's intervals and probe section, from runs built by hand (no training): what runs.csv
 * and report.md say for known counts. Wilson bounds of 392/2000 are [0.1792, 0.2140].
 */
class ExperimentReportTest {

  private static final int N = 2000;
  private static final int CLASSES = 10;

  @TempDir Path dir;

  private final StringWriter progress = new StringWriter();

  // ---- the runs ----

  /** Baseline, λ = 0: heads at block1 and penultimate, two evaluations, no probe. */
  private ExperimentRun baseline() {
    ExperimentRun run = run("baseline", Map.of(), "0");
    evaluate(run, 1, 10, Map.of("block1/0", 205, "penultimate/0", 250));
    evaluate(run, 2, 20, Map.of("block1/0", 210, "penultimate/0", 392));
    return run;
  }

  /** Dropout, λ = 0: penultimate RLA 0.150, apart from the baseline's 0.196. */
  private ExperimentRun dropout() {
    ExperimentRun run = run("dropout", Map.of("regularization.dropout", "0.5"), "0");
    evaluate(run, 1, 10, Map.of("block1/0", 200, "penultimate/0", 240));
    evaluate(run, 2, 20, Map.of("block1/0", 205, "penultimate/0", 300));
    return run;
  }

  /**
   * λ = 1 with a head at penultimate only, probed after both evaluations at block1 (no co-trained
   * head there) and penultimate: the head sits near chance, the probe fits 0.600 of the training
   * labels and 0.200 of the test ones.
   */
  private ExperimentRun lambda() {
    ExperimentRun run = run("lambda-1", Map.of("heads.lambda", "1"), "1");
    evaluate(run, 1, 10, Map.of("penultimate/0", 205));
    run.onProbe(
        probe(10, Map.of("block1/0", new int[] {600, 300}, "penultimate/0", new int[] {900, 350})));
    evaluate(run, 2, 20, Map.of("penultimate/0", 210));
    run.onProbe(
        probe(
            20, Map.of("block1/0", new int[] {700, 310}, "penultimate/0", new int[] {1200, 400})));
    return run;
  }

  private ExperimentRun broken() {
    ExperimentRun run =
        new ExperimentRun(
            "broken",
            "t-broken",
            Map.of("regularization.dropuot", "0.3"),
            new PrintWriter(progress));
    run.error = "unknown training setting 'regularization.dropuot'";
    return run;
  }

  private ExperimentRun run(String name, Map<String, String> overrides, String lambda) {
    ExperimentRun run = new ExperimentRun(name, "t-" + name, overrides, new PrintWriter(progress));
    Map<String, String> config = new HashMap<>(overrides);
    config.put("heads.lambda", lambda);
    config.put("eval.subset", String.valueOf(N));
    config.put("seed", "1");
    run.config = config;
    run.finished = true;
    run.summary = new RunSummary(run.runId, "ds", 2, 20, 240, 500, 0, 0, "", Map.of());
    return run;
  }

  /** An epoch's end and its evaluation: head → training-subset hits of N; test RLA 200 of N. */
  private static void evaluate(ExperimentRun run, int epoch, long step, Map<String, Integer> hits) {
    run.onEpochEnd(epoch, step, EpochTally.EMPTY);
    // Sorted by name, which here is also depth order (block1 before penultimate).
    List<HeadEvaluation> heads =
        new TreeMap<>(hits)
            .entrySet().stream()
                .map(
                    e ->
                        new HeadEvaluation(
                            e.getKey(),
                            CLASSES,
                            new Proportion(e.getValue(), N),
                            new Proportion(200, N)))
                .toList();
    run.onEvaluation(new EvaluationMetrics(step, 0.5 + 0.1 * epoch, 0.5 + 0.05 * epoch, heads));
  }

  /** head → {train fit hits, test fit hits} of N each. */
  private static ProbeReport probe(long step, Map<String, int[]> fits) {
    List<ProbeResult> results =
        new TreeMap<>(fits)
            .entrySet().stream()
                .map(
                    e ->
                        new ProbeResult(
                            ExperimentRun.tapOf(e.getKey()),
                            0,
                            CLASSES,
                            new Proportion(e.getValue()[0], N),
                            new Proportion(e.getValue()[1], N),
                            40,
                            55,
                            List.of()))
                .toList();
    return new ProbeReport(step, "in run", N, ProbeRecipe.standard(0, 200, 1), results, 3.5);
  }

  private static ExperimentReport report(List<ExperimentRun> runs) {
    return new ExperimentReport(
        new ExperimentReport.Context(
            "t", "ds", "memoscope experiment", ZonedDateTime.now(), 12, 40),
        runs);
  }

  // ---- runs.csv ----

  private record Csv(List<String> header, List<String[]> rows) {

    static Csv of(String text) {
      List<String> lines = text.lines().toList();
      return new Csv(
          Arrays.asList(lines.get(0).split(",")),
          lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList());
    }

    String get(String[] row, String column) {
      assertThat(header).contains(column);
      return row[header.indexOf(column)];
    }

    List<String[]> where(String run, String step, String head) {
      return rows.stream()
          .filter(
              r ->
                  get(r, "run").equals(run)
                      && get(r, "step").equals(step)
                      && get(r, "head").equals(head))
          .toList();
    }

    String[] one(String run, String step, String head) {
      List<String[]> found = where(run, step, head);
      assertThat(found).as(run + " step " + step + " " + head).hasSize(1);
      return found.get(0);
    }
  }

  private static double number(String text) {
    return Double.parseDouble(text);
  }

  @Test
  void csvCarriesEachHeadsWilsonBoundsAndTheSampleCounts() {
    Csv csv = Csv.of(new ExperimentCsv("t", List.of(baseline(), broken())).write());

    String[] row = csv.one("baseline", "20", "penultimate/0");
    assertThat(number(csv.get(row, "random_label_accuracy"))).isCloseTo(0.196, within(1e-9));
    assertThat(number(csv.get(row, "random_label_accuracy_low"))).isCloseTo(0.1792, within(1e-4));
    assertThat(number(csv.get(row, "random_label_accuracy_high"))).isCloseTo(0.2140, within(1e-4));
    // M = (RLA − 0.1)/0.9, bounds carried through.
    assertThat(number(csv.get(row, "memorization_index")))
        .isCloseTo((0.196 - 0.1) / 0.9, within(1e-5));
    assertThat(number(csv.get(row, "memorization_index_low")))
        .isCloseTo((0.1792 - 0.1) / 0.9, within(1e-4));
    assertThat(number(csv.get(row, "memorization_index_high")))
        .isCloseTo((0.2140 - 0.1) / 0.9, within(1e-4));
    // Test RLA 200/2000: Wilson [0.0876, 0.1139].
    assertThat(number(csv.get(row, "random_label_accuracy_test_low")))
        .isCloseTo(0.0876, within(1e-4));
    assertThat(number(csv.get(row, "random_label_accuracy_test_high")))
        .isCloseTo(0.1139, within(1e-4));
    assertThat(csv.get(row, "evaluated_samples")).isEqualTo("2000");
    assertThat(csv.get(row, "evaluated_samples_test")).isEqualTo("2000");
    assertThat(csv.get(row, "final")).isEqualTo("true");
    // No probe in this run: its columns are empty.
    assertThat(csv.get(row, "probe_random_label_accuracy")).isEmpty();
    assertThat(csv.get(row, "probe_difference_low")).isEmpty();

    assertThat(csv.rows())
        .hasSize(2 * 2 + 1)
        .allSatisfy(r -> assertThat(r).hasSameSizeAs(csv.header().toArray()));
    String[] failed =
        csv.rows().stream()
            .filter(r -> csv.get(r, "run").equals("broken"))
            .findFirst()
            .orElseThrow();
    assertThat(csv.get(failed, "status")).isEqualTo("failed");
    assertThat(csv.get(failed, "random_label_accuracy_low")).isEmpty();
  }

  @Test
  void csvPutsTheProbeBesideTheCoTrainedHeadAndGivesAProbedTapWithoutAHeadItsOwnRow() {
    ExperimentRun lambda = lambda();
    Csv csv = Csv.of(new ExperimentCsv("t", List.of(lambda)).write());

    // Per evaluation: the penultimate head's row with its probe, and a probe-only row for block1.
    assertThat(csv.rows())
        .hasSize(2 * 2)
        .allSatisfy(r -> assertThat(r).hasSameSizeAs(csv.header().toArray()));
    String[] row = csv.one("lambda-1", "20", "penultimate/0");
    assertThat(number(csv.get(row, "random_label_accuracy"))).isCloseTo(0.105, within(1e-9));
    assertThat(number(csv.get(row, "probe_random_label_accuracy"))).isCloseTo(0.6, within(1e-9));
    assertThat(number(csv.get(row, "probe_random_label_accuracy_test")))
        .isCloseTo(0.2, within(1e-9));
    Interval difference = new Proportion(1200, N).minus(new Proportion(400, N));
    assertThat(number(csv.get(row, "probe_difference"))).isCloseTo(0.4, within(1e-9));
    assertThat(number(csv.get(row, "probe_difference_low")))
        .isCloseTo(difference.low(), within(1e-5));
    assertThat(number(csv.get(row, "probe_difference_high")))
        .isCloseTo(difference.high(), within(1e-5));
    assertThat(number(csv.get(row, "probe_random_label_accuracy_low")))
        .isCloseTo(new Proportion(1200, N).interval().low(), within(1e-5));
    assertThat(number(csv.get(row, "probe_memorization_index"))).isCloseTo(0.4 / 0.8, within(1e-5));
    assertThat(number(csv.get(row, "probe_memorization_index_high")))
        .isCloseTo(difference.high() / 0.8, within(1e-5));
    assertThat(csv.get(row, "probe_samples")).isEqualTo("2000");
    assertThat(csv.get(row, "probe_epochs_train")).isEqualTo("40");
    assertThat(csv.get(row, "probe_epochs_test")).isEqualTo("55");

    // The earlier probe stays with the earlier evaluation.
    String[] early = csv.one("lambda-1", "10", "penultimate/0");
    assertThat(number(csv.get(early, "probe_random_label_accuracy"))).isCloseTo(0.45, within(1e-9));

    String[] probeOnly = csv.one("lambda-1", "20", "block1/0");
    assertThat(csv.get(probeOnly, "tap")).isEqualTo("block1");
    assertThat(csv.get(probeOnly, "labeling")).isEqualTo("0");
    assertThat(csv.get(probeOnly, "random_label_accuracy")).isEmpty();
    assertThat(csv.get(probeOnly, "evaluated_samples")).isEmpty();
    assertThat(number(csv.get(probeOnly, "probe_random_label_accuracy")))
        .isCloseTo(0.35, within(1e-9));
    assertThat(csv.get(probeOnly, "accuracy_test")).isNotEmpty();
    assertThat(csv.get(probeOnly, "final")).isEqualTo("true");
  }

  @Test
  void aProbeAtAStepNoEvaluationHadStillGetsItsRows() {
    ExperimentRun run = run("odd", Map.of(), "0");
    evaluate(run, 1, 10, Map.of("penultimate/0", 250));
    run.onProbe(probe(15, Map.of("penultimate/0", new int[] {800, 300})));
    Csv csv = Csv.of(new ExperimentCsv("t", List.of(run)).write());

    assertThat(csv.one("odd", "10", "penultimate/0"))
        .satisfies(r -> assertThat(csv.get(r, "probe_random_label_accuracy")).isEmpty());
    String[] alone = csv.one("odd", "15", "penultimate/0");
    assertThat(number(csv.get(alone, "probe_random_label_accuracy"))).isCloseTo(0.4, within(1e-9));
    assertThat(csv.get(alone, "random_label_accuracy")).isEmpty();
  }

  // ---- report.md ----

  @Test
  void reportShowsRlaAndTheIndexWithTheirIntervalAndSaysWhatTheIntervalIs() {
    String md = report(List.of(baseline(), dropout(), broken())).markdown(null);

    String baselineRow =
        md.lines()
            .filter(l -> l.startsWith("| baseline | 1 | succeeded |"))
            .findFirst()
            .orElseThrow();
    assertThat(baselineRow)
        .contains("penultimate 0.196 [0.179, 0.214]", "block1 0.105 [0.092, 0.119]")
        .contains(
            String.format(
                Locale.ROOT,
                "%.3f [%.3f, %.3f]",
                (0.196 - 0.1) / 0.9,
                (0.1792 - 0.1) / 0.9,
                (0.2140 - 0.1) / 0.9))
        .contains("| 2,000 |");
    assertThat(md)
        .contains("95 % Wilson score interval on the evaluation subset of n = 2,000 samples");
    assertThat(md).contains("| broken | ? | failed |");
  }

  /**
   * One seed of a configuration: penultimate hits at the last of two evaluations, block1 at 210.
   */
  private ExperimentRun seeded(
      String configuration, long seed, Map<String, String> overrides, int penultimate) {
    ExperimentRun run =
        new ExperimentRun(
            configuration,
            seed,
            "t-" + configuration + "-s" + seed,
            overrides,
            new PrintWriter(progress));
    Map<String, String> config = new HashMap<>(overrides);
    config.put("heads.lambda", overrides.getOrDefault("heads.lambda", "0"));
    config.put("seed", String.valueOf(seed));
    run.config = config;
    run.finished = true;
    evaluate(run, 1, 10, Map.of("block1/0", 205, "penultimate/0", 250));
    evaluate(run, 2, 20, Map.of("block1/0", 210, "penultimate/0", penultimate));
    return run;
  }

  @Test
  void everyPairedDifferenceTheReportStatesRecomputesFromRunsCsv() {
    List<ExperimentRun> runs =
        List.of(
            seeded("baseline", 1, Map.of(), 392),
            seeded("dropout", 1, Map.of("regularization.dropout", "0.5"), 300),
            seeded("baseline", 2, Map.of(), 400),
            seeded("dropout", 2, Map.of("regularization.dropout", "0.5"), 320));
    Csv csv = Csv.of(new ExperimentCsv("t", runs).write());
    String md = report(runs).markdown(null);

    // From runs.csv alone: the final penultimate rows, paired by seed.
    double[] d = new double[2];
    for (int seed = 1; seed <= 2; seed++) {
      double base = number(csv.get(finalRow(csv, "baseline", seed), "random_label_accuracy"));
      double dropout = number(csv.get(finalRow(csv, "dropout", seed), "random_label_accuracy"));
      d[seed - 1] = dropout - base;
    }
    double mean = (d[0] + d[1]) / 2;
    double sd = Math.abs(d[0] - d[1]) / Math.sqrt(2);
    double half = 12.7062 * sd / Math.sqrt(2); // t_{0.975, 1}
    String interval =
        String.format(
            Locale.ROOT, "%+.3f [%+.3f, %+.3f], n = 2: lowers", mean, mean - half, mean + half);
    assertThat(interval).isEqualTo("-0.043 [-0.081, -0.005], n = 2: lowers");
    String finding =
        md.lines().filter(l -> l.startsWith("- **(c) dropout")).findFirst().orElseThrow();
    assertThat(finding).contains(": holds.**", "paired difference " + interval);

    // The seeds in the header, the configuration table with means over seeds, one row per
    // configuration.
    assertThat(md)
        .contains(
            "| seeds | 2 per configuration (1, 2) |",
            ExperimentAggregateSection.CONFIGURATIONS,
            ExperimentFindings.PAIRED_RULE);
    String configuration =
        md.lines()
            .filter(l -> l.startsWith("| dropout | regularization.dropout=0.5 |"))
            .findFirst()
            .orElseThrow();
    assertThat(configuration).contains("| 2 of 2 |", "0.155 [");
    assertThat(md.lines().filter(l -> l.startsWith("| dropout-s"))).hasSize(2);
  }

  private static String[] finalRow(Csv csv, String configuration, int seed) {
    List<String[]> rows =
        csv.rows().stream()
            .filter(
                r ->
                    csv.get(r, "configuration").equals(configuration)
                        && csv.get(r, "seed").equals(String.valueOf(seed))
                        && csv.get(r, "final").equals("true")
                        && csv.get(r, "tap").equals("penultimate"))
            .toList();
    assertThat(rows).hasSize(1);
    assertThat(csv.get(rows.get(0), "run")).isEqualTo(configuration + "-s" + seed);
    return rows.get(0);
  }

  @Test
  void depthCurveAndDoseResponseTablesAppearWithTheirIntervals() {
    String md =
        report(List.of(seeded("baseline", 1, Map.of(), 392), seeded("baseline", 2, Map.of(), 400)))
            .markdown(null);

    String depth =
        md.substring(
            md.indexOf(ExperimentAggregateSection.DEPTH),
            md.indexOf(ExperimentAggregateSection.DOSE_RESPONSE));
    assertThat(depth)
        .contains("| block1 | 0.105 [0.105, 0.105], n = 2 |", "| penultimate | 0.198 [");
    assertThat(md).contains("No λ configuration (or no baseline) to compare.");
  }

  @Test
  void probeSectionShowsTheCoTrainedHeadBesideTheProbeAtTheLastProbe() {
    String md = report(List.of(baseline(), lambda())).markdown(null);

    String section = md.substring(md.indexOf(ExperimentProbeSection.TITLE), md.indexOf("## Plots"));
    assertThat(section).contains("Wilson", "Newcombe", "(baseline)");
    String penultimate =
        section
            .lines()
            .filter(l -> l.startsWith("| lambda-1 |") && l.contains("| penultimate |"))
            .findFirst()
            .orElseThrow();
    Interval difference = new Proportion(1200, N).minus(new Proportion(400, N));
    assertThat(penultimate)
        .contains(
            "| 1 | 2 | 20 | penultimate | 0 |",
            "| 0.105 [0.092, 0.119] |",
            "| " + ExperimentFormat.interval(new Proportion(1200, N).interval()) + " |",
            "| " + ExperimentFormat.interval(new Proportion(400, N).interval()) + " |",
            "| " + ExperimentFormat.signed(difference) + " |",
            "| 2,000 |");
    assertThat(difference.low()).isGreaterThan(0);
    String block1 =
        section
            .lines()
            .filter(l -> l.startsWith("| lambda-1 |") && l.contains("| block1 |"))
            .findFirst()
            .orElseThrow();
    assertThat(block1).contains("| no head |", "| 0.350 [");
    // Only the last probe (step 20) is tabled: one row per tap.
    assertThat(section.lines().filter(l -> l.startsWith("| lambda-1 |"))).hasSize(2);
  }

  @Test
  void probeSectionSaysInOneLineHowToTurnItOnWhenNoRunProbed() {
    String md = report(List.of(baseline(), dropout())).markdown(null);

    String section = md.substring(md.indexOf(ExperimentProbeSection.TITLE), md.indexOf("## Plots"));
    List<String> text = section.lines().skip(1).filter(l -> !l.isBlank()).toList();
    assertThat(text)
        .singleElement()
        .asString()
        .startsWith("No run probed")
        .contains("probe.every: 1", "--set probe.every=1");
  }

  @Test
  void runHearsProbesAndSaysSoOnItsProgressLine() {
    ExperimentRun run = lambda();

    assertThat(run.probes).hasSize(2);
    assertThat(run.lastProbe().step()).isEqualTo(20);
    assertThat(run.lastProbe().epoch()).isEqualTo(2);
    assertThat(progress.toString())
        .contains(
            "[lambda-1] epoch 2 step 20: probe of 2,000 samples",
            "fit[penultimate/0] train 0.600 test 0.200");
  }

  @Test
  void severalLabelingsOfATapShowTheMeanOfTheirValuesAndBounds() {
    ExperimentRun run = run("two", Map.of(), "0");
    evaluate(run, 1, 10, Map.of("penultimate/0", 392, "penultimate/1", 200));
    Interval mean = run.last().rlaIntervalByTap().get("penultimate");
    Interval a = new Proportion(392, N).interval();
    Interval b = new Proportion(200, N).interval();

    assertThat(mean.value()).isCloseTo(0.148, within(1e-9));
    assertThat(mean.low()).isCloseTo((a.low() + b.low()) / 2, within(1e-12));
    assertThat(mean.high()).isCloseTo((a.high() + b.high()) / 2, within(1e-12));
  }

  // ---- the plots and files ----

  @Test
  void rlaOverEpochsChartCarriesEachEvaluationsIntervalAsItsBand() {
    JFreeChart chart = new ReportCharts(List.of(baseline(), broken())).rlaOverEpochs();

    XYPlot plot = chart.getXYPlot();
    assertThat(plot.getRenderer()).isInstanceOf(DeviationRenderer.class);
    IntervalXYDataset data = (IntervalXYDataset) plot.getDataset();
    assertThat(data.getSeriesCount()).isEqualTo(1);
    assertThat(data.getSeriesKey(0)).hasToString("baseline (penultimate)");
    assertThat(data.getYValue(0, 1)).isCloseTo(0.196, within(1e-9));
    assertThat(data.getStartYValue(0, 1)).isCloseTo(0.1792, within(1e-4));
    assertThat(data.getEndYValue(0, 1)).isCloseTo(0.2140, within(1e-4));
  }

  @Test
  void doseResponseChartDrawsThePairedMeanPerLambdaWithItsIntervalAsTheBand() {
    Map<String, String> lambda = Map.of("heads.lambda", "10");
    JFreeChart chart =
        new ReportCharts(
                List.of(
                    seeded("baseline", 1, Map.of(), 392),
                    seeded("baseline", 2, Map.of(), 400),
                    seeded("lambda-10", 1, lambda, 300),
                    seeded("lambda-10", 2, lambda, 320)))
            .lambdaDoseResponse();

    XYPlot plot = chart.getXYPlot();
    assertThat(plot.getRenderer()).isInstanceOf(DeviationRenderer.class);
    IntervalXYDataset data = (IntervalXYDataset) plot.getDataset();
    // Head RLA and test accuracy; no probe in these runs, so no probe curve.
    assertThat(data.getSeriesCount()).isEqualTo(2);
    assertThat(data.getSeriesKey(0).toString()).startsWith("co-trained head RLA");
    assertThat(data.getXValue(0, 0)).isEqualTo(1.0);
    // d = −0.046, −0.040: mean −0.043, half-width 12.706 · 0.00424/√2 = 0.0381.
    assertThat(data.getYValue(0, 0)).isCloseTo(-0.043, within(1e-9));
    assertThat(data.getStartYValue(0, 0)).isCloseTo(-0.043 - 0.0381, within(1e-4));
    assertThat(data.getEndYValue(0, 0)).isCloseTo(-0.043 + 0.0381, within(1e-4));
  }

  @Test
  void writeProducesTheCsvTheReportAndEveryPlot() throws Exception {
    report(List.of(baseline(), dropout(), lambda(), broken())).write(dir);

    assertThat(Files.readString(dir.resolve("report.md")))
        .contains(ExperimentProbeSection.TITLE, "0.196 [0.179, 0.214]");
    assertThat(Files.readString(dir.resolve("runs.csv"))).contains("probe_difference_low");
    for (String png : ReportCharts.ALL) {
      assertThat(Files.size(dir.resolve(png))).as(png).isGreaterThan(5_000);
    }
  }
}
