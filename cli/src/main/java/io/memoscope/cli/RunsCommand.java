package io.memoscope.cli;

import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.trainer.config.Settings;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope runs}: the runs recorded in {@code memoscope.runs}, one line each, from Kafka
 * alone; with {@code --outcome} also how each ended, from {@code memoscope.events}.
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List the runs recorded in memoscope.runs (read from Kafka alone).")
final class RunsCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  // Opt-in: the outcome is in memoscope.events, which holds every step of every run, and reading
  // all of it takes far longer than the compacted memoscope.runs.
  @Option(
      names = "--outcome",
      description =
          "Also show how each run ended (succeeded with its parameters"
              + " sha256, failed, or not finished), read from memoscope.events: one pass over every run's events.")
  boolean outcome;

  @Mixin KafkaOptions kafka;

  @Override
  public Integer call() {
    RunRecords records = new RunRecords(kafka.adminConfig(root.sources()), kafka.timeout);
    Map<String, RunManifest> runs = records.manifests();
    Map<String, RunOutcome> outcomes = outcome ? records.outcomes(runs.keySet()) : Map.of();
    PrintWriter out = spec.commandLine().getOut();
    if (runs.isEmpty()) {
      out.println("no runs yet");
    }
    runs.values()
        .forEach(
            run -> {
              out.printf(
                  "%-32s %-20s %s  epochs %s, model %s, seed %s",
                  run.getRunId(),
                  run.getDataset(),
                  run.getCreatedAt(),
                  run.getConfig().get(Settings.EPOCHS.key()),
                  run.getConfig().get(Settings.MODEL_NAME.key()),
                  run.getConfig().get(Settings.SEED.key()));
              if (outcome) {
                out.print("  " + describe(outcomes.get(run.getRunId())));
              }
              out.println();
            });
    return 0;
  }

  private static String describe(RunOutcome outcome) {
    return switch (outcome.state()) {
      case SUCCEEDED -> "succeeded, parameters sha256 " + outcome.parametersSha256();
      case FAILED -> "failed: " + outcome.message();
      case NOT_FINISHED -> "not finished";
    };
  }
}
