package io.memoscope.cli;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.trainer.config.ConfigLayer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.config.TrainingConfigLoader;
import io.memoscope.trainer.runtime.RunEnvironment;
import io.memoscope.trainer.stream.RunManifests;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope replay RUN_ID}: the finished run's manifest (same offset ranges, same config)
 * trained again from scratch under a new run id, and the result compared with the original: exit 0
 * when parameters and final metrics match, 1 with the differences otherwise.
 *
 * <p>Everything about the original comes from Kafka, the source of truth, so a replay works on any
 * machine that reaches the cluster: its manifest from {@code memoscope.runs}, its parameters digest
 * and final metrics from its events in {@code memoscope.events}. Local files of the original (its
 * manifest.avro and summary.json) are not read even when present: a copy that could disagree with
 * Kafka would only make the answer depend on the machine.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Re-run a finished run's manifest from scratch under a new run id and report whether the results"
            + " match. The original's manifest, parameters digest and final metrics are read from Kafka"
            + " (memoscope.runs, memoscope.events), never from local files.")
final class ReplayCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The finished run to replay.")
  String original;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Id of the replay (default: <RUN_ID>-replay).")
  String replayId;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Change a config value in the copy (the difference is reported).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = RunOptionDefaults.CHECKPOINT_DIR,
      description =
          "Where the replay keeps its manifest, checkpoints and summary (default: ${DEFAULT-VALUE});"
              + " nothing of the original is read from here.")
  Path checkpointDir;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topics;

  @Override
  public Integer call() {
    String originalId = RunIds.validate(original);
    Map<String, Object> clientConfig = kafka.adminConfig(root.sources());
    RunRecords records = new RunRecords(clientConfig, kafka.timeout);
    RunManifest manifest =
        records
            .manifest(originalId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no run "
                            + originalId
                            + " in "
                            + Topics.RUNS
                            + " at "
                            + records.bootstrap()));
    RunOutcome before = finished(originalId, records);
    TrainingConfig config =
        TrainingConfigLoader.load(
            List.of(
                ConfigLayer.of("manifest of " + original, RunManifests.recordedConfig(manifest)),
                ConfigLayer.of("--set", settings)));
    String id = RunIds.validate(replayId != null ? replayId : original + "-replay");
    RunOptions options =
        new RunOptions(
            id,
            new RunMode.Replay(manifest, config),
            checkpointDir.resolve(id),
            "memoscope " + VersionProvider.version(),
            RunTuning.defaults().withTimeout(kafka.timeout));
    RunSummary after =
        new StreamingRun(
                clientConfig,
                topics.settings(spec, spec.commandLine().getErr()),
                options,
                new ProgressLines(spec.commandLine().getErr(), id))
            .run();

    List<String> differences = new ArrayList<>();
    Map<String, String> oldConfig = new TreeMap<>(RunManifests.recordedConfig(manifest));
    Map<String, String> newConfig = config.toFlatMap();
    for (String key : (union(oldConfig.keySet(), newConfig.keySet()))) {
      if (!Objects.equals(oldConfig.get(key), newConfig.get(key))) {
        differences.add("config " + key + ": " + oldConfig.get(key) + " -> " + newConfig.get(key));
      }
    }
    for (String metric : (union(before.finalMetrics().keySet(), after.finalMetrics().keySet()))) {
      if (!Objects.equals(before.finalMetrics().get(metric), after.finalMetrics().get(metric))) {
        differences.add(
            metric
                + ": "
                + before.finalMetrics().get(metric)
                + " -> "
                + after.finalMetrics().get(metric));
      }
    }
    if (!before.parametersSha256().equals(after.parametersSha256())) {
      differences.add(
          "parameters sha256: " + before.parametersSha256() + " -> " + after.parametersSha256());
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> environment =
        RunEnvironment.differences(manifest.getEnvironment(), RunEnvironment.current());
    if (!environment.isEmpty()) {
      out.printf(
          "replay %s ran in another environment than %s (bit-identical parameters are promised only on the"
              + " same ND4J backend and native build):%n",
          id, original);
      environment.forEach(d -> out.println("  " + d));
    }
    if (differences.isEmpty()) {
      out.printf(
          "replay %s of %s: match (parameters sha256 %s)%n",
          id, original, after.parametersSha256());
      return 0;
    }
    out.printf("replay %s of %s: differs%n", id, original);
    differences.forEach(d -> out.println("  " + d));
    return 1;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The original's outcome, checked before anything is trained: only a finished run has results to
   * compare.
   */
  private static RunOutcome finished(String runId, RunRecords records) {
    RunOutcome outcome = records.outcome(runId);
    return switch (outcome.state()) {
      case SUCCEEDED -> outcome;
      case FAILED ->
          throw new IllegalStateException(
              "run "
                  + runId
                  + " failed ("
                  + outcome.message()
                  + "): replay compares with a run that finished");
      case NOT_FINISHED ->
          throw new IllegalStateException(
              "run "
                  + runId
                  + " has not finished: "
                  + Topics.EVENTS
                  + " at "
                  + records.bootstrap()
                  + " has no RUN_FINISHED event of it"
                  + " (still running, or interrupted: train --resume continues it)");
    };
  }
}
