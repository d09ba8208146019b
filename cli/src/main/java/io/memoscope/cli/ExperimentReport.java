package io.memoscope.cli;

import io.memoscope.cli.ExperimentFindings.Finding;
import io.memoscope.cli.ExperimentRun.Evaluation;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Writes an experiment's {@code report.md}, {@code runs.csv} and plots into one folder. */
final class ExperimentReport {

  /** What the report says about where and how it was made. */
  record Context(String experiment, String dataset, String command, ZonedDateTime date, double wallSeconds,
      long testSamples) {}

  static final String CSV_HEAD = "experiment,run,run_id,status,lambda,samples_per_epoch,samples_per_second,"
      + "wall_seconds,epoch,step,final,head,tap,labeling,accuracy_train,accuracy_test,generalization_gap,"
      + "random_label_accuracy,memorization_index,random_label_accuracy_test,chance";

  private final Context context;
  private final List<ExperimentRun> runs;

  ExperimentReport(Context context, List<ExperimentRun> runs) {
    this.context = context;
    this.runs = List.copyOf(runs);
  }

  void write(Path folder) {
    try {
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("runs.csv"), csv(), StandardCharsets.UTF_8);
      String chartError = null;
      try {
        new ReportCharts(runs).write(folder);
      } catch (RuntimeException | Error e) {
        chartError = OneLineErrors.describe(e);
      }
      Files.writeString(folder.resolve("report.md"), markdown(chartError), StandardCharsets.UTF_8);
      if (chartError != null) {
        throw new IllegalStateException("the plots could not be drawn: " + chartError);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the report to " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The config keys any run sets (base or override), as CSV columns. */
  private List<String> configKeys() {
    TreeSet<String> keys = new TreeSet<>();
    for (ExperimentRun run : runs) {
      keys.addAll(run.overrides.keySet());
    }
    // Always-interesting keys, when a run resolved them.
    keys.addAll(List.of("epochs", "batch-size", "model.name", "model.width-scale", "heads.taps", "heads.lambda",
        "regularization.dropout", "regularization.weight-decay", "regularization.label-smoothing",
        "augmentation.crop-padding", "augmentation.horizontal-flip", "seed", "heads.kind", "heads.hidden-width",
        "optimizer.name", "optimizer.learning-rate", "eval.subset"));
    return List.copyOf(keys);
  }

  String csv() {
    List<String> keys = configKeys();
    StringBuilder out = new StringBuilder(CSV_HEAD);
    keys.forEach(k -> out.append(",config.").append(k));
    out.append('\n');
    for (ExperimentRun run : runs) {
      String config = keys.stream().map(k -> csvField(run.config != null ? run.config.getOrDefault(k, "")
          : run.overrides.getOrDefault(k, ""))).collect(Collectors.joining(","));
      String chance = run.chance().isPresent() ? fmt(run.chance().getAsDouble()) : "";
      String runFields = String.join(",", csvField(context.experiment()), csvField(run.name), csvField(run.runId),
          run.failed() ? "failed" : "succeeded", run.lambda().isPresent() ? fmt(run.lambda().getAsDouble()) : "",
          run.summary == null ? "" : String.valueOf(run.summary.samplesPerEpoch()),
          run.summary == null ? "" : fmt(run.summary.samplesPerSecond()), fmt(run.wallSeconds));
      if (run.evaluations.isEmpty()) {
        out.append(runFields).append(",,,,,,,,,,,,,").append(',').append(config).append('\n');
        continue;
      }
      for (int i = 0; i < run.evaluations.size(); i++) {
        Evaluation evaluation = run.evaluations.get(i);
        for (HeadEvaluation head : evaluation.heads()) {
          String name = head.head();
          int slash = name.lastIndexOf('/');
          out.append(runFields).append(',').append(String.join(",", String.valueOf(evaluation.epoch()),
              String.valueOf(evaluation.step()), String.valueOf(i == run.evaluations.size() - 1), csvField(name),
              csvField(ExperimentRun.tapOf(name)), slash < 0 ? "" : name.substring(slash + 1),
              fmt(evaluation.trainAccuracy()), fmt(evaluation.testAccuracy()), fmt(evaluation.gap()),
              fmt(head.trainAccuracy()), fmt(head.memorizationIndex()), fmt(head.testAccuracy()), chance))
              .append(',').append(config).append('\n');
        }
      }
    }
    return out.toString();
  }

  String markdown(String chartError) {
    StringBuilder md = new StringBuilder();
    md.append("# Experiment ").append(context.experiment()).append("\n\n");
    md.append("Generated by `memoscope experiment`; every number and verdict below is computed from the runs' ")
        .append("measured evaluations by fixed rules (cli/.../ExperimentFindings.java), not written by hand.\n\n");
    md.append("| | |\n| --- | --- |\n");
    md.append("| command | `").append(context.command()).append("` |\n");
    md.append("| date | ").append(context.date().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" |\n");
    md.append("| machine | ").append(machine()).append(" |\n");
    md.append("| data set | ").append(context.dataset()).append(": ").append(sizes()).append(" |\n");
    md.append(String.format(Locale.ROOT, "| wall time | %.0f s (%.1f min) for %d runs |%n", context.wallSeconds(),
        context.wallSeconds() / 60, runs.size()));
    long failed = runs.stream().filter(ExperimentRun::failed).count();
    md.append("| runs | ").append(runs.size() - failed).append(" succeeded, ").append(failed).append(" failed |\n\n");

    md.append("## Findings\n\n");
    md.append("Deepest tap = the last tap in the model's tap order (depth order); RLA = random-label accuracy on ")
        .append("the fixed training subset at the last evaluation, averaged over a tap's labelings; ")
        .append("M = (RLA − 1/n)/(1 − 1/n); chance 1/n. Thresholds are stated in each rule.\n\n");
    for (Finding finding : new ExperimentFindings(runs).all()) {
      md.append(finding.markdown()).append('\n');
    }

    md.append("\n## Runs\n\n");
    md.append("| run | status | overrides | epochs | train acc | test acc | gap | RLA by tap | M (deepest) | ")
        .append("samples/s | wall s |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (ExperimentRun run : runs) {
      String overrides = run.overrides.isEmpty() ? "(base)" : run.overrides.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
      Evaluation last = run.last();
      if (run.failed() || last == null) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | | | | | | | | %.1f |%n", run.name,
            run.failed() ? "failed" : "no evaluation", cell(overrides), run.wallSeconds));
        continue;
      }
      String byTap = last.rlaByTap().entrySet().stream()
          .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
      md.append(String.format(Locale.ROOT, "| %s | succeeded | %s | %d | %.3f | %.3f | %.3f | %s | %.3f | %,.0f | %.1f |%n",
          run.name, cell(overrides), last.epoch(), last.trainAccuracy(), last.testAccuracy(), last.gap(), byTap,
          ExperimentFindings.deepestIndex(run), run.summary == null ? Double.NaN : run.summary.samplesPerSecond(),
          run.wallSeconds));
    }
    if (failed > 0) {
      md.append("\n### Failed runs\n\n");
      for (ExperimentRun run : runs) {
        if (run.failed()) {
          md.append("- ").append(run.name).append(" (").append(run.runId).append("): ").append(cell(run.error))
              .append('\n');
        }
      }
    }

    md.append("\n## Plots\n\n");
    if (chartError != null) {
      md.append("The plots could not be drawn: ").append(chartError).append("\n");
    } else {
      md.append("![random-label accuracy over epochs](").append(ReportCharts.RLA_OVER_EPOCHS).append(")\n\n");
      md.append("![final random-label accuracy vs test accuracy](").append(ReportCharts.RLA_VS_TEST).append(")\n\n");
      md.append("![random-label accuracy per tap](").append(ReportCharts.RLA_BY_TAP).append(")\n\n");
      md.append("![test accuracy vs lambda](").append(ReportCharts.TEST_VS_LAMBDA).append(")\n\n");
    }
    md.append("Every run's per-evaluation metrics, per head, with its config: [runs.csv](runs.csv).\n");
    return md.toString();
  }

  private String machine() {
    String backend = runs.stream().map(r -> r.backend).filter(b -> b != null).findFirst().orElse("ND4J backend unknown");
    return String.format(Locale.ROOT, "%d cores, %s %s (%s), %s %s, %s, max heap %d MiB",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), System.getProperty("java.vendor"), System.getProperty("os.name"),
        System.getProperty("os.arch"), cell(backend), Runtime.getRuntime().maxMemory() >> 20);
  }

  private String sizes() {
    OptionalDouble perEpoch = runs.stream().filter(r -> r.summary != null)
        .mapToDouble(r -> r.summary.samplesPerEpoch()).findFirst();
    String subset = runs.stream().filter(r -> r.config != null).map(r -> r.config.get("eval.subset"))
        .filter(s -> s != null).findFirst().orElse("?");
    return String.format(Locale.ROOT, "%s training samples per epoch, %s test samples, evaluation subset %s",
        perEpoch.isPresent() ? String.format(Locale.ROOT, "%,.0f", perEpoch.getAsDouble()) : "?",
        context.testSamples() < 0 ? "?" : String.format(Locale.ROOT, "%,d", context.testSamples()), subset);
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }

  private static String fmt(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
  }

  private static String csvField(String value) {
    if (value == null) {
      return "";
    }
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
