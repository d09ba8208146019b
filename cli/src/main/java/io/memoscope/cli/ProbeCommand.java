package io.memoscope.cli;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.serde.Codecs;
import io.memoscope.protocol.serde.SerdeSettings;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.probe.ProbeRecipe;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.stream.JsonFiles;
import io.memoscope.trainer.stream.RunProbe;
import io.memoscope.trainer.stream.StreamingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope probe RUN_ID}: fresh, independent probes of a run's checkpoint at every tap
 * (docs/trainer.md, "The probe"), printed as a table beside the co-trained heads' readings,
 * optionally written as JSON, and published as PROBE events of the run. The checkpoints are
 * necessarily local files; the manifest is the local one, or {@code memoscope.runs}'s when that is
 * missing.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "Probe a run's checkpoint: fit fresh random-label probes on its frozen features, on training and"
            + " on test samples, per tap; print the fits, their difference and the probe's memorization index with"
            + " 95 %% intervals, and publish them as PROBE events of the run. The checkpoints are local files"
            + " (--checkpoint-dir); the manifest is read from there, or from memoscope.runs when it is not there.")
final class ProbeCommand implements Callable<Integer> {

  static final String LATEST = "latest";

  /** A test-sample fit this high leaves the probe no room to show memorization. */
  private static final double SATURATED = 0.9;

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "RUN_ID",
      description = "The run to probe (finished or interrupted).")
  String runId;

  @Option(
      names = "--checkpoint",
      paramLabel = "latest|STEP",
      defaultValue = LATEST,
      description =
          "Which checkpoint: the newest valid one, or the one after STEP optimizer steps (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(
      names = "--taps",
      paramLabel = "TAP",
      split = ",",
      description = "Taps to probe: names or 'all' (default: the run's probe.taps, normally all).")
  List<String> taps = new ArrayList<>();

  @Option(
      names = "--hidden-width",
      paramLabel = "N",
      description =
          "The probe's hidden ReLU layer (default: the run's probe.hidden-width, normally 0 = linear).")
  Integer hiddenWidth;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the report as JSON to FILE.")
  Path json;

  @Option(names = "--no-publish", description = "Do not publish PROBE events to memoscope.events.")
  boolean noPublish;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = RunOptionDefaults.CHECKPOINT_DIR,
      description =
          "Where runs keep their checkpoints (local files: the probe needs them) and manifests (a missing"
              + " one is restored from memoscope.runs) (default: ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Mixin KafkaOptions kafka;

  @Override
  public Integer call() {
    String id = RunIds.validate(runId);
    Map<String, Object> clientConfig = kafka.adminConfig(root.sources());
    Path runDirectory = checkpointDir.resolve(id);
    if (!Files.isRegularFile(runDirectory.resolve(StreamingRun.MANIFEST_FILE))) {
      restoreManifest(id, runDirectory, new RunRecords(clientConfig, kafka.timeout));
    }
    RunProbe.Outcome outcome =
        RunProbe.probe(
            clientConfig,
            new RunProbe.Request(
                id,
                runDirectory,
                step(),
                List.copyOf(taps),
                hiddenWidth(),
                kafka.timeout,
                !noPublish));
    PrintWriter out = spec.commandLine().getOut();
    print(out, outcome);
    if (json != null) {
      writeJson(json, outcome);
      out.println("wrote " + json);
    }
    return 0;
  }

  /**
   * A run directory that has the checkpoints but lost its manifest (copied from another machine
   * without it, say) gets the manifest back from {@code memoscope.runs}, where the run published
   * it, written beside the checkpoints as the run wrote it. The checkpoints themselves exist only
   * as local files.
   */
  private static void restoreManifest(String id, Path runDirectory, RunRecords records) {
    RunManifest manifest =
        records
            .manifest(id)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no run "
                            + id
                            + ": no "
                            + StreamingRun.MANIFEST_FILE
                            + " in "
                            + runDirectory
                            + " and none in "
                            + Topics.RUNS
                            + " at "
                            + records.bootstrap()));
    if (!Files.isDirectory(runDirectory)) {
      throw new IllegalArgumentException(
          "run "
              + id
              + " is in "
              + Topics.RUNS
              + ", but "
              + runDirectory
              + " does not exist: the probe needs the run's checkpoints, which are local files (is --checkpoint-dir"
              + " right?)");
    }
    try {
      Path temporary = Files.createTempFile(runDirectory, ".manifest", ".tmp");
      Files.write(temporary, Codecs.runManifest(SerdeSettings.defaults()).encode(manifest));
      Files.move(
          temporary,
          runDirectory.resolve(StreamingRun.MANIFEST_FILE),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "writing the manifest of run " + id + " to " + runDirectory + ": " + e.getMessage(), e);
    }
  }

  private OptionalInt hiddenWidth() {
    if (hiddenWidth == null) {
      return OptionalInt.empty();
    }
    if (hiddenWidth < 0) {
      throw new ParameterException(
          spec.commandLine(), "--hidden-width must be >= 0 (0 = linear), not " + hiddenWidth);
    }
    return OptionalInt.of(hiddenWidth);
  }

  private OptionalLong step() {
    if (checkpoint.equals(LATEST)) {
      return OptionalLong.empty();
    }
    try {
      long step = Long.parseLong(checkpoint);
      if (step >= 0) {
        return OptionalLong.of(step);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ParameterException(
        spec.commandLine(),
        "--checkpoint must be 'latest' or a step number, not '" + checkpoint + "'");
  }

  static void print(PrintWriter out, RunProbe.Outcome outcome) {
    ProbeReport report = outcome.report();
    ProbeRecipe recipe = report.recipe();
    out.printf(
        Locale.ROOT,
        "probe of run %s (%s) at step %d, checkpoint %s: %,d training and %,d test samples, %s probe,"
            + " Adam %s, at most %d epochs; %.1f s%n",
        outcome.runId(),
        outcome.dataset(),
        report.step(),
        outcome.checkpoint(),
        report.samples(),
        report.samples(),
        recipe.hiddenWidth() == 0 ? "linear" : "MLP (" + recipe.hiddenWidth() + " hidden)",
        recipe.learningRate(),
        recipe.maxEpochs(),
        report.seconds());
    out.printf(
        "%-12s %-8s %-22s %-22s %-22s %-24s %-22s%n",
        "tap",
        "labeling",
        "co-trained RLA",
        "probe train fit",
        "probe test fit",
        "difference",
        "probe M");
    for (ProbeResult result : report.results()) {
      out.printf(
          "%-12s %-8d %-22s %-22s %-22s %-24s %-22s%n",
          result.tap(),
          result.labeling(),
          coTrained(outcome, result.head())
              .map(h -> format(h.train().interval()))
              .orElse("— (no head)"),
          format(result.train().interval()),
          format(result.test().interval()),
          format(result.difference()),
          format(result.memorizationIndex()));
    }
    out.println(
        "95 % intervals: Wilson for the fits and the co-trained RLA, Newcombe for the difference;"
            + " probe M = difference / (1 − test fit).");
    List<String> saturated =
        report.results().stream()
            .filter(r -> r.test().value() >= SATURATED)
            .map(ProbeResult::head)
            .toList();
    if (!saturated.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "warning: the probe fits %.0f %% or more of the test samples' random labels at %s: %d"
              + " samples are too few for its input width, so it cannot show memorization there (more samples:"
              + " eval.subset; or a smaller heads.readout-width)%n",
          SATURATED * 100,
          saturated,
          report.samples());
    }
  }

  private static java.util.Optional<HeadEvaluation> coTrained(
      RunProbe.Outcome outcome, String head) {
    return outcome.coTrained().stream().filter(h -> h.head().equals(head)).findFirst();
  }

  static String format(Interval interval) {
    return String.format(
        Locale.ROOT, "%.3f [%.3f, %.3f]", interval.value(), interval.low(), interval.high());
  }

  private static void writeJson(Path file, RunProbe.Outcome outcome) {
    ProbeReport report = outcome.report();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run", outcome.runId());
    root.put("dataset", outcome.dataset());
    root.put("checkpoint", outcome.checkpoint());
    root.put("step", report.step());
    root.put("samples", report.samples());
    root.put("recipe", report.recipe());
    root.put("seconds", report.seconds());
    List<Map<String, Object>> results = new ArrayList<>();
    for (ProbeResult result : report.results()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("tap", result.tap());
      row.put("labeling", result.labeling());
      row.put("head", result.head());
      row.put(
          "coTrainedRandomLabelAccuracy",
          coTrained(outcome, result.head()).map(h -> h.train().interval()).orElse(null));
      row.put("probeTrainFit", result.train().interval());
      row.put("probeTestFit", result.test().interval());
      row.put("difference", result.difference());
      row.put("memorizationIndex", result.memorizationIndex());
      row.put("epochsTrain", result.epochsTrain());
      row.put("epochsTest", result.epochsTest());
      results.add(row);
    }
    root.put("results", results);
    JsonFiles.writeAtomically(file, root);
  }
}
