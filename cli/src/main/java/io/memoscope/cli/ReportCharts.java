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
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The report's PNG plots, drawn headless with JFreeChart. */
final class ReportCharts {

  static final String RLA_OVER_EPOCHS = "rla-over-epochs.png";
  static final String RLA_VS_TEST = "rla-vs-test-accuracy.png";
  static final String RLA_BY_TAP = "rla-by-tap.png";
  static final String TEST_VS_LAMBDA = "test-accuracy-vs-lambda.png";
  static final List<String> ALL = List.of(RLA_OVER_EPOCHS, RLA_VS_TEST, RLA_BY_TAP, TEST_VS_LAMBDA);

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
    save(folder.resolve(TEST_VS_LAMBDA), testVsLambda());
  }

  /** Deepest-tap RLA per evaluation, each run a line inside a translucent band: its 95 % Wilson interval. */
  JFreeChart rlaOverEpochs() {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (ExperimentRun run : finished) {
      String tap = ExperimentFindings.deepestTap(run);
      YIntervalSeries series = new YIntervalSeries(run.name + " (" + tap + ")");
      for (Evaluation evaluation : run.evaluations) {
        Interval rla = evaluation.rlaIntervalByTap().get(tap);
        if (rla != null) {
          series.add(evaluation.epoch(), rla.value(), rla.low(), rla.high());
        }
      }
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(
        "Random-label accuracy over epochs (deepest tap, band = 95 % Wilson interval)", "epoch",
        "random-label accuracy (training subset)", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(0.2f);
    plot.setRenderer(renderer);
    // The band is drawn in the series' fill paint, which is not the line's colour unless set.
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesFillPaint(i, renderer.lookupSeriesPaint(i));
    }
    plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    chanceLine(plot);
    return chart;
  }

  private JFreeChart rlaVsTest() {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ExperimentRun run : finished) {
      XYSeries series = new XYSeries(run.name);
      series.add(run.last().testAccuracy(), ExperimentFindings.deepestRla(run));
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createScatterPlot("Final random-label accuracy vs test accuracy, per run",
        "test accuracy", "random-label accuracy (deepest tap)", data, PlotOrientation.VERTICAL, true, false, false);
    chanceLine(chart.getXYPlot());
    return chart;
  }

  private JFreeChart rlaByTap() {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ExperimentRun run : finished) {
      for (Map.Entry<String, Double> tap : run.last().rlaByTap().entrySet()) {
        data.addValue(tap.getValue(), run.name, tap.getKey());
      }
    }
    return ChartFactory.createBarChart("Final random-label accuracy per tap (shallow to deep)", "tap",
        "random-label accuracy", data, PlotOrientation.VERTICAL, true, false, false);
  }

  private JFreeChart testVsLambda() {
    List<ExperimentRun> points = new ArrayList<>();
    ExperimentRun base = findings.baseline();
    if (base != null) {
      points.add(base);
    }
    points.addAll(findings.lambdaRuns());
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ExperimentRun run : points) {
      String lambda = "λ=" + ExperimentFindings.number(run.lambda().orElse(0));
      data.addValue(run.last().testAccuracy(), "test accuracy", lambda);
      data.addValue(ExperimentFindings.deepestRla(run), "random-label accuracy (deepest tap)", lambda);
    }
    return ChartFactory.createLineChart("Test accuracy vs λ (baseline = λ 0)", "λ", "accuracy", data,
        PlotOrientation.VERTICAL, true, false, false);
  }

  private void chanceLine(XYPlot plot) {
    OptionalDouble chance = finished.stream().map(ExperimentRun::chance).filter(OptionalDouble::isPresent)
        .mapToDouble(OptionalDouble::getAsDouble).findFirst();
    if (chance.isPresent()) {
      ValueMarker marker = new ValueMarker(chance.getAsDouble(), Color.GRAY, new BasicStroke(1.5f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
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
    } else if (plot instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
    }
  }
}
