package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  private CliRun ingest(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "ingest";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--bootstrap";
    full[args.length + 2] = kafka.bootstrapServers();
    return CliRun.of(Map.of(), full);
  }

  @Test
  void ingestsAndEndsWithAOneLineSummary() {
    CliRun run = ingest("--source", "synthetic", "--dataset", "cli-synth", "--count", "60", "--test-count", "12",
        "--height", "8", "--width", "8");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("ingested cli-synth: train 60, test 12 records").hasLineCount(1);
  }

  @Test
  void aSecondIngestIsRefusedAndSaysWhatToDo() {
    assertThat(ingest("--source", "synthetic", "--dataset", "cli-twice", "--count", "5", "--height", "4",
        "--width", "4").exitCode()).isZero();

    CliRun again = ingest("--source", "synthetic", "--dataset", "cli-twice", "--count", "5", "--height", "4",
        "--width", "4");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("--append", "--recreate").hasLineCount(1);
    assertThat(ingest("--source", "synthetic", "--dataset", "cli-twice", "--count", "5", "--height", "4",
        "--width", "4", "--recreate").exitCode()).isZero();
  }

  @Test
  void aMissingDirectoryIsOneLineNamingIt() {
    Path missing = dir.resolve("no-such-folder");
    CliRun run = ingest("--source", "idx", "--dataset", "nothing", "--dir", missing.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("memoscope ingest: ").contains(missing.toString()).hasLineCount(1);
  }

  @Test
  void anOptionTheSourceDoesNotReadIsAUsageError() {
    CliRun run = ingest("--source", "idx", "--dataset", "x", "--height", "3");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("source idx does not read height");
  }

  @Test
  void anUnknownSourceListsTheAvailableOnes() {
    CliRun run = ingest("--source", "nope", "--dataset", "x");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no source named 'nope'; available: cifar, folder, idx, synthetic");
  }

  @Test
  void listsTheSources() {
    CliRun run = CliRun.of(Map.of(), "ingest", "--list-sources");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("idx", "cifar", "folder", "synthetic");
  }

  @Test
  void anUnreachableBrokerFailsFast() {
    CliRun run = CliRun.of(Map.of(), "ingest", "--source", "synthetic", "--dataset", "x", "--count", "1",
        "--bootstrap", "127.0.0.1:1", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach Kafka at 127.0.0.1:1").hasLineCount(1);
  }
}
