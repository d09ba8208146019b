package io.memoscope.cli;

import io.memoscope.cli.ExperimentRun.Evaluation;
import io.memoscope.cli.ExperimentRun.Probe;
import io.memoscope.protocol.HeadId;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.probe.ProbeResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An experiment's {@code runs.csv}: one row per run × evaluation × head (a run: one configuration
 * under one seed, both columns of their own), the co-trained head's values with their 95 % bounds
 * and, where the run probed after that evaluation, the independent probe's values at the same tap
 * and labeling. A probed tap without a co-trained head gets a row of its own with the head columns
 * empty. Column names follow the training events' metric names ({@link
 * io.memoscope.protocol.EventMetricNames}).
 */
final class ExperimentCsv {

  static final List<String> RUN_COLUMNS =
      List.of(
          "experiment",
          "configuration",
          "seed",
          "run",
          "run_id",
          "status",
          "lambda",
          "samples_per_epoch",
          "samples_per_second",
          "wall_seconds");
  static final List<String> EVALUATION_COLUMNS =
      List.of(
          "epoch",
          "step",
          "final",
          "head",
          "tap",
          "labeling",
          "accuracy_train",
          "accuracy_test",
          "generalization_gap");
  static final List<String> HEAD_COLUMNS =
      List.of(
          "random_label_accuracy",
          "random_label_accuracy_low",
          "random_label_accuracy_high",
          "memorization_index",
          "memorization_index_low",
          "memorization_index_high",
          "random_label_accuracy_test",
          "random_label_accuracy_test_low",
          "random_label_accuracy_test_high",
          "evaluated_samples",
          "evaluated_samples_test",
          "chance");
  static final List<String> PROBE_COLUMNS =
      List.of(
          "probe_samples",
          "probe_random_label_accuracy",
          "probe_random_label_accuracy_low",
          "probe_random_label_accuracy_high",
          "probe_random_label_accuracy_test",
          "probe_random_label_accuracy_test_low",
          "probe_random_label_accuracy_test_high",
          "probe_difference",
          "probe_difference_low",
          "probe_difference_high",
          "probe_memorization_index",
          "probe_memorization_index_low",
          "probe_memorization_index_high",
          "probe_epochs_train",
          "probe_epochs_test");

  /** Config keys always worth a column, when a run resolved them. */
  private static final List<String> ALWAYS_CONFIG =
      List.of(
          "epochs",
          "batch-size",
          "model.name",
          "model.width-scale",
          "heads.taps",
          "heads.lambda",
          "regularization.dropout",
          "regularization.weight-decay",
          "regularization.label-smoothing",
          "augmentation.crop-padding",
          "augmentation.horizontal-flip",
          "seed",
          "heads.kind",
          "heads.hidden-width",
          "optimizer.name",
          "optimizer.learning-rate",
          "eval.subset",
          "probe.every",
          "probe.taps");

  private final String experiment;
  private final List<ExperimentRun> runs;

  ExperimentCsv(String experiment, List<ExperimentRun> runs) {
    this.experiment = experiment;
    this.runs = List.copyOf(runs);
  }

  /** Every column but the config ones, in order. */
  static List<String> metricColumns() {
    List<String> columns = new ArrayList<>(RUN_COLUMNS);
    columns.addAll(EVALUATION_COLUMNS);
    columns.addAll(HEAD_COLUMNS);
    columns.addAll(PROBE_COLUMNS);
    return columns;
  }

  /** The config keys any run sets (base or override), as CSV columns. */
  private List<String> configKeys() {
    TreeSet<String> keys = new TreeSet<>(ALWAYS_CONFIG);
    runs.forEach(run -> keys.addAll(run.overrides.keySet()));
    return List.copyOf(keys);
  }

  String write() {
    List<String> keys = configKeys();
    List<String> columns = metricColumns();
    keys.forEach(k -> columns.add("config." + k));
    StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
    for (ExperimentRun run : runs) {
      Map<String, String> runFields = runFields(run, keys);
      for (Map<String, String> row : rows(run)) {
        row.putAll(runFields);
        out.append(
                columns.stream()
                    .map(c -> field(row.getOrDefault(c, "")))
                    .collect(Collectors.joining(",")))
            .append('\n');
      }
    }
    return out.toString();
  }

  private Map<String, String> runFields(ExperimentRun run, List<String> keys) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("experiment", experiment);
    fields.put("configuration", run.configuration);
    fields.put("seed", run.seed() == null ? "" : String.valueOf(run.seed()));
    fields.put("run", run.name);
    fields.put("run_id", run.runId);
    fields.put("status", run.failed() ? "failed" : "succeeded");
    fields.put("lambda", run.lambda().isPresent() ? number(run.lambda().getAsDouble()) : "");
    fields.put(
        "samples_per_epoch",
        run.summary == null ? "" : String.valueOf(run.summary.samplesPerEpoch()));
    fields.put(
        "samples_per_second", run.summary == null ? "" : number(run.summary.samplesPerSecond()));
    fields.put("wall_seconds", number(run.wallSeconds));
    for (String key : keys) {
      fields.put(
          "config." + key,
          run.config != null
              ? run.config.getOrDefault(key, "")
              : run.overrides.getOrDefault(key, ""));
    }
    return fields;
  }

  /**
   * The run's metric rows, without its run fields; one empty row when it has no evaluation and no
   * probe.
   */
  private List<Map<String, String>> rows(ExperimentRun run) {
    List<Map<String, String>> rows = new ArrayList<>();
    String chance = run.chance().isPresent() ? number(run.chance().getAsDouble()) : "";
    Set<Probe> placed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < run.evaluations.size(); i++) {
      Evaluation evaluation = run.evaluations.get(i);
      boolean last = i == run.evaluations.size() - 1;
      // The probe this evaluation was followed by: same step. An evaluation repeated at one step
      // (a resumed run) takes the probe once, at its last occurrence.
      Probe probe =
          run.evaluationAt(evaluation.step()) == evaluation ? run.probeAt(evaluation.step()) : null;
      Set<String> withHead = new HashSet<>();
      for (HeadEvaluation head : evaluation.heads()) {
        Map<String, String> row =
            evaluationRow(evaluation.epoch(), evaluation.step(), last, head.head());
        putEvaluation(row, evaluation);
        putHead(row, head, chance);
        withHead.add(head.head());
        ProbeResult result =
            probe == null
                ? null
                : probe.report().results().stream()
                    .filter(r -> r.head().equals(head.head()))
                    .findFirst()
                    .orElse(null);
        if (result != null) {
          putProbe(row, probe, result);
        }
        rows.add(row);
      }
      if (probe != null) {
        placed.add(probe);
        for (ProbeResult result : probe.report().results()) {
          if (!withHead.contains(result.head())) {
            Map<String, String> row =
                evaluationRow(evaluation.epoch(), evaluation.step(), last, result.head());
            putEvaluation(row, evaluation);
            putProbe(row, probe, result);
            rows.add(row);
          }
        }
      }
    }
    // A probe that followed no evaluation the run heard: its rows stand alone.
    for (Probe probe : run.probes) {
      if (!placed.contains(probe)) {
        for (ProbeResult result : probe.report().results()) {
          Map<String, String> row =
              evaluationRow(probe.epoch(), probe.step(), false, result.head());
          putProbe(row, probe, result);
          rows.add(row);
        }
      }
    }
    if (rows.isEmpty()) {
      rows.add(new LinkedHashMap<>());
    }
    return rows;
  }

  private static Map<String, String> evaluationRow(
      int epoch, long step, boolean last, String head) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("epoch", String.valueOf(epoch));
    row.put("step", String.valueOf(step));
    row.put("final", String.valueOf(last));
    row.put("head", head);
    HeadId id = HeadId.parse(head);
    row.put("tap", id.tap());
    row.put("labeling", Integer.toString(id.labeling()));
    return row;
  }

  private static void putEvaluation(Map<String, String> row, Evaluation evaluation) {
    row.put("accuracy_train", number(evaluation.trainAccuracy()));
    row.put("accuracy_test", number(evaluation.testAccuracy()));
    row.put("generalization_gap", number(evaluation.gap()));
  }

  private static void putHead(Map<String, String> row, HeadEvaluation head, String chance) {
    putInterval(row, "random_label_accuracy", head.train().interval());
    putInterval(row, "memorization_index", head.memorizationIndexInterval());
    putInterval(row, "random_label_accuracy_test", head.test().interval());
    row.put("evaluated_samples", String.valueOf(head.train().trials()));
    row.put("evaluated_samples_test", String.valueOf(head.test().trials()));
    row.put("chance", chance);
  }

  private static void putProbe(Map<String, String> row, Probe probe, ProbeResult result) {
    row.put("probe_samples", String.valueOf(probe.report().samples()));
    putInterval(row, "probe_random_label_accuracy", result.train().interval());
    putInterval(row, "probe_random_label_accuracy_test", result.test().interval());
    putInterval(row, "probe_difference", result.difference());
    putInterval(row, "probe_memorization_index", result.memorizationIndex());
    row.put("probe_epochs_train", String.valueOf(result.epochsTrain()));
    row.put("probe_epochs_test", String.valueOf(result.epochsTest()));
  }

  private static void putInterval(Map<String, String> row, String name, Interval interval) {
    row.put(name, number(interval.value()));
    row.put(name + "_low", number(interval.low()));
    row.put(name + "_high", number(interval.high()));
  }

  static String number(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
  }

  private static String field(String value) {
    if (value == null) {
      return "";
    }
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\""
        : value;
  }
}
