package io.memoscope.cli;

import io.memoscope.cli.ExperimentRun.Evaluation;
import io.memoscope.trainer.metrics.Interval;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The report's PNG plots, drawn headless with JFreeChart. */
final class ReportCharts {

  static final String RLA_OVER_EPOCHS = "rla-over-epochs.png";
  static final String RLA_VS_TEST = "rla-vs-test-accuracy.png";
  static final String RLA_BY_TAP = "rla-by-tap.png";
  static final String LAMBDA_DOSE_RESPONSE = "lambda-dose-response.png";
  static final List<String> ALL =
      List.of(RLA_OVER_EPOCHS, RLA_VS_TEST, RLA_BY_TAP, LAMBDA_DOSE_RESPONSE);

  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private final List<ExperimentRun> finished;
  private final ExperimentFindings findings;

  ReportCharts(List<ExperimentRun> runs) {
    this.finished = runs.stream().filter(r -> !r.failed() && !r.deepestTapMissing()).toList();
    this.findings = new ExperimentFindings(runs);
  }

  void write(Path folder) {
    System.setProperty("java.awt.headless", "true");
    save(folder.resolve(RLA_OVER_EPOCHS), rlaOverEpochs());
    save(folder.resolve(RLA_VS_TEST), rlaVsTest());
    save(folder.resolve(RLA_BY_TAP), rlaByTap());
    save(folder.resolve(LAMBDA_DOSE_RESPONSE), lambdaDoseResponse());
  }

  /**
   * Deepest-tap RLA per evaluation, each configuration a line (the mean over its seeds) inside a
   * translucent band: the 95 % interval over seeds, or with one seed that run's Wilson interval.
   */
  JFreeChart rlaOverEpochs() {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (ExperimentConfiguration configuration : ExperimentConfiguration.group(finished)) {
      List<ExperimentRun> runs = configuration.runs();
      String tap = ExperimentFindings.deepestTap(runs.get(0));
      YIntervalSeries series = new YIntervalSeries(configuration.name() + " (" + tap + ")");
      Map<Integer, List<Interval>> byEpoch = new TreeMap<>();
      for (ExperimentRun run : runs) {
        for (Evaluation evaluation : run.evaluations) {
          Interval rla = evaluation.rlaIntervalByTap().get(tap);
          if (rla != null) {
            byEpoch.computeIfAbsent(evaluation.epoch(), e -> new ArrayList<>()).add(rla);
          }
        }
      }
      byEpoch.forEach(
          (epoch, intervals) -> {
            if (intervals.size() == 1) {
              Interval rla = intervals.get(0);
              series.add(epoch, rla.value(), rla.low(), rla.high());
            } else {
              SeedInterval mean = SeedInterval.of(intervals.stream().map(Interval::value).toList());
              series.add(epoch, mean.mean(), mean.low(), mean.high());
            }
          });
      data.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Random-label accuracy over epochs (deepest tap, mean over "
                + "seeds; band = 95 % interval over seeds, one seed: its Wilson interval)",
            "epoch",
            "random-label accuracy (training subset)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    bands(plot, data.getSeriesCount());
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    chanceLine(plot);
    return chart;
  }

  private JFreeChart rlaVsTest() {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ExperimentConfiguration configuration : ExperimentConfiguration.group(finished)) {
      XYSeries series = new XYSeries(configuration.name());
      for (ExperimentRun run : configuration.runs()) {
        series.add(run.last().testAccuracy(), ExperimentFindings.deepestRla(run));
      }
      data.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            "Final random-label accuracy vs test accuracy, one point per "
                + "run (colour: configuration)",
            "test accuracy",
            "random-label accuracy (deepest tap)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chanceLine(chart.getXYPlot());
    return chart;
  }

  /**
   * The depth curve of finding (b): the baseline's final RLA per tap, shallow to deep, the
   * co-trained heads and (where it probed) the independent probe, means over seeds with bands.
   */
  JFreeChart rlaByTap() {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    ExperimentConfiguration base = findings.baseline();
    List<String> taps = new ArrayList<>();
    if (base != null) {
      Map<String, SeedInterval> heads =
          ExperimentFindings.byTap(base, run -> run.last().rlaByTap());
      Map<String, SeedInterval> probes =
          ExperimentFindings.byTap(base, ExperimentRun::probeRlaByTap);
      taps.addAll(heads.keySet());
      probes.keySet().stream().filter(t -> !taps.contains(t)).forEach(taps::add);
      data.addSeries(curve("co-trained head (baseline)", heads, taps));
      if (!probes.isEmpty()) {
        data.addSeries(curve("independent probe, train fit (baseline)", probes, taps));
      }
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Final random-label accuracy per tap, baseline (mean over "
                + "seeds; band = 95 % interval over seeds)",
            "tap (shallow to deep)",
            "random-label accuracy",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    bands(plot, data.getSeriesCount());
    plot.setDomainAxis(new SymbolAxis("tap (shallow to deep)", taps.toArray(new String[0])));
    chanceLine(plot);
    return chart;
  }

  private static YIntervalSeries curve(
      String name, Map<String, SeedInterval> byTap, List<String> taps) {
    YIntervalSeries series = new YIntervalSeries(name);
    byTap.forEach((tap, interval) -> add(series, taps.indexOf(tap), interval));
    return series;
  }

  /**
   * Finding (d) and (e) as curves: per λ (log10 axis), the mean paired difference from the baseline
   * of the co-trained head's RLA, the probe's RLA and test accuracy, each with its 95 % band.
   */
  JFreeChart lambdaDoseResponse() {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    YIntervalSeries head = new YIntervalSeries("co-trained head RLA − baseline's (deepest tap)");
    YIntervalSeries probe = new YIntervalSeries("independent probe RLA − baseline's (deepest tap)");
    YIntervalSeries test = new YIntervalSeries("test accuracy − baseline's");
    for (ExperimentFindings.LambdaDose dose : findings.doseResponse()) {
      double x = Math.log10(dose.lambda());
      add(head, x, dose.head().difference());
      add(probe, x, dose.probe().difference());
      add(test, x, dose.testAccuracy().difference());
    }
    for (YIntervalSeries series : List.of(head, probe, test)) {
      if (series.getItemCount() > 0) {
        data.addSeries(series);
      }
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "λ dose-response: paired difference from the baseline "
                + "(mean over seeds; band = 95 % interval)",
            "log10 λ",
            "difference from the baseline (same seed)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    bands(plot, data.getSeriesCount());
    plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
    // Decades of λ; with a single λ the axis would otherwise zoom into rounding noise.
    NumberAxis axis = (NumberAxis) plot.getDomainAxis();
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    axis.setAutoRangeMinimumSize(1.0);
    return chart;
  }

  /** A mean with its band; one seed (no interval) draws the mean alone, a missing value nothing. */
  private static void add(YIntervalSeries series, double x, SeedInterval interval) {
    if (interval.n() == 0) {
      return;
    }
    series.add(
        x,
        interval.mean(),
        interval.measured() ? interval.low() : interval.mean(),
        interval.measured() ? interval.high() : interval.mean());
  }

  private static void bands(XYPlot plot, int seriesCount) {
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(0.2f);
    plot.setRenderer(renderer);
    // The band is drawn in the series' fill paint, which is not the line's colour unless set.
    for (int i = 0; i < seriesCount; i++) {
      renderer.setSeriesFillPaint(i, renderer.lookupSeriesPaint(i));
    }
  }

  private void chanceLine(XYPlot plot) {
    OptionalDouble chance =
        finished.stream()
            .map(ExperimentRun::chance)
            .filter(OptionalDouble::isPresent)
            .mapToDouble(OptionalDouble::getAsDouble)
            .findFirst();
    if (chance.isPresent()) {
      ValueMarker marker =
          new ValueMarker(
              chance.getAsDouble(),
              Color.GRAY,
              new BasicStroke(
                  1.5f,
                  BasicStroke.CAP_BUTT,
                  BasicStroke.JOIN_MITER,
                  10f,
                  new float[] {6f, 4f},
                  0f));
      marker.setLabel("chance 1/n");
      marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
      plot.addRangeMarker(marker);
    }
  }

  private static void save(Path file, JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    Plot plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
    }
  }
}
