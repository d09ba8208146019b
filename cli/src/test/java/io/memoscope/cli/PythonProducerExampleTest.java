package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/python/produce_synthetic.py, a producer written from docs/schema.md alone, run as a
 * separate process against a real broker: memoscope trains on what it wrote without a dead letter.
 */
class PythonProducerExampleTest {

  /** Debian's interpreter: python3-confluent-kafka and python3-avro are installed for it only. */
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final Path SCRIPT =
      Path.of("..", "examples", "python", "produce_synthetic.py").toAbsolutePath().normalize();
  private static final long PYTHON_TIMEOUT_SECONDS = 120;

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  @Test
  void aDataSetProducedFromPythonTrainsWithoutDeadLetters() throws Exception {
    createTopics("py-synth");

    Finished produced = python("--dataset", "py-synth", "--train", "256", "--test", "64");

    assertThat(produced.exitCode()).as(produced.output()).isZero();
    assertThat(produced.output()).contains("produced py-synth: train 256, test 64 records");
    CliRun run =
        CliRun.of(
            Map.of(),
            "train",
            "--dataset",
            "py-synth",
            "--run-id",
            "py-run",
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--set",
            "model.width-scale=0.5",
            "--checkpoint-dir",
            dir.resolve("runs").toString(),
            "--summary",
            dir.resolve("py-run.json").toString(),
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("py-run.json").toFile());
    // Every record decoded, random labels recomputed and matched: all 256 train samples trained.
    assertThat(summary.get("deadLetters").asLong()).isZero();
    assertThat(summary.get("samplesPerEpoch").asLong()).isEqualTo(256);
    // The class is a band of bright rows: chance is 0.1, so this fails if the pixels lose it.
    assertThat(summary.get("finalMetrics").get("accuracy_test").asDouble()).isGreaterThan(0.5);
  }

  @Test
  void theProducerRefusesMissingTopicsAndTopicsThatHoldRecords() throws Exception {
    Finished missing = python("--dataset", "py-missing", "--train", "4", "--test", "1");
    createTopics("py-twice");
    Finished first = python("--dataset", "py-twice", "--train", "4", "--test", "1");
    Finished second = python("--dataset", "py-twice", "--train", "4", "--test", "1");

    assertThat(missing.exitCode()).as(missing.output()).isEqualTo(1);
    assertThat(missing.output())
        .contains("missing topic(s) samples.py-missing.train", "--create-topics-only")
        .hasLineCount(1);
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
    assertThat(second.output())
        .contains("samples.py-twice.train already holds 4 records")
        .hasLineCount(1);
  }

  private static void createTopics(String dataset) {
    CliRun topics =
        CliRun.of(
            Map.of(),
            "ingest",
            "--create-topics-only",
            "--dataset",
            dataset,
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(topics.exitCode()).as(topics.err()).isZero();
  }

  private record Finished(int exitCode, String output) {}

  /**
   * Runs the example with the given arguments against the test's broker; stdout and stderr
   * together.
   */
  private Finished python(String... args) throws Exception {
    assertThat(PYTHON)
        .as(
            "needs Debian's python3 with python3-confluent-kafka and python3-avro (test.sh installs"
                + " them)")
        .isExecutable();
    List<String> command =
        new ArrayList<>(
            List.of(PYTHON.toString(), SCRIPT.toString(), "--bootstrap", kafka.bootstrapServers()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "python", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    // Settings meant for another interpreter (pyenv, a virtualenv) must not hide Debian's packages.
    builder.environment().keySet().removeAll(List.of("PYTHONPATH", "PYTHONHOME"));
    Process process = builder.start();
    if (!process.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(
          "%s did not finish within %d s; it printed: %s",
          SCRIPT, PYTHON_TIMEOUT_SECONDS, Files.readString(output));
    }
    return new Finished(process.exitValue(), Files.readString(output));
  }
}
