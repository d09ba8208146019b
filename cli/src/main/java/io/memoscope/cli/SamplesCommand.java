package io.memoscope.cli;

import io.memoscope.metrics.EvaluationHistory;
import io.memoscope.metrics.SampleTimelines;
import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope samples RUN_ID --csv FILE}: a run's per-sample memorization as CSV ({@link
 * SamplesCsv}), derived from its records in {@code memoscope.evaluations} by the same code as the
 * metrics service's {@code /api/runs/{id}/samples} ({@link SampleTimelines}), with Kafka alone: no
 * metrics service needs to run.
 */
@Command(
    name = "samples",
    mixinStandardHelpOptions = true,
    description =
        "Write a run's per-sample memorization as CSV: per sample and random-label head its class,"
            + " random label, memorization onset step, forgetting events of the class label, and"
            + " whether the latest evaluation predicts its class and its random label. Read from"
            + " memoscope.evaluations (Kafka alone).")
final class SamplesCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
  String run;

  @Option(
      names = "--head",
      paramLabel = "HEAD",
      description =
          "Only this random-label head, tap/labeling, or probe, probe:tap/labeling (default: every"
              + " head and probe of the run).")
  String head;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      required = true,
      description = "Where to write the CSV (replaced if it exists).")
  Path csv;

  @Mixin KafkaOptions kafka;

  @Override
  public Integer call() throws IOException {
    String id = RunIds.validate(run);
    Map<String, Object> clientConfig = kafka.adminConfig(root.sources());
    SampleTimelines timelines =
        SampleTimelines.fromRecords(EvaluationHistory.read(clientConfig, id, kafka.timeout))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no evaluations of run "
                            + id
                            + " in "
                            + Topics.EVALUATIONS
                            + " at "
                            + clientConfig.get("bootstrap.servers")));
    List<String> heads = timelines.subset().ids();
    if (head != null) {
      if (!heads.contains(head)) {
        throw new IllegalArgumentException(
            "run " + id + " has no head " + head + "; its heads: " + String.join(", ", heads));
      }
      heads = List.of(head);
    }
    int rows;
    try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      rows = SamplesCsv.write(out, id, timelines, heads);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csv + ": " + e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "%d rows (%d samples × %d head(s), %d evaluations up to step %d) written to %s%n",
            rows,
            timelines.subset().size(),
            heads.size(),
            timelines.evaluations().size(),
            timelines.evaluations().get(timelines.evaluations().size() - 1).step(),
            csv);
    return 0;
  }
}
