package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.Codecs;
import io.memoscope.protocol.serde.SerdeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoscope probe} on a real run from a real broker: the table, the JSON, the PROBE events
 * after the run's own; and one clear line with exit 1 for each kind of bad input.
 */
class ProbeCommandTest {

  private static final String RUN = "probed";

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir static Path dir;

  @BeforeAll
  static void ingestAndTrain() {
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "probe-syn",
            "--count",
            "160",
            "--test-count",
            "120",
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    CliRun train =
        CliRun.of(
            Map.of(),
            "train",
            "--dataset",
            "probe-syn",
            "--run-id",
            RUN,
            "--epochs",
            "2",
            "--batch-size",
            "32",
            "--set",
            "model.width-scale=0.5",
            "--set",
            "heads.taps=block2,penultimate",
            "--checkpoint-dir",
            runs().toString(),
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(train.exitCode()).as(train.err()).isZero();
  }

  private static Path runs() {
    return dir.resolve("runs");
  }

  private static CliRun probe(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "probe";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--checkpoint-dir";
    all[args.length + 2] = runs().toString();
    all[args.length + 3] = "--bootstrap";
    all[args.length + 4] = kafka.bootstrapServers();
    return CliRun.of(Map.of(), all);
  }

  @Test
  void probesEveryTapOfTheLatestCheckpointAndPublishesAfterTheRunsEvents() throws Exception {
    long lastBefore =
        RunEvents.of(kafka.bootstrapServers(), RUN).stream()
            .mapToLong(TrainingEvent::getSequence)
            .max()
            .orElseThrow();
    Path json = dir.resolve("probe.json");

    CliRun run = probe(RUN, "--json", json.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "probe of run " + RUN + " (probe-syn) at step 10, checkpoint step-000000000010.ckpt")
        .contains("120 training and 120 test samples")
        // the spatial taps of this tiny network give 64 features for 120 samples: the probe fits
        // them all
        .contains(
            "warning: the probe fits 90 % or more of the test samples' random labels at [block1/0, block2/0]");
    // every tap, the co-trained reading where there is a head, and none where there is not
    assertThat(run.out().lines().filter(l -> l.startsWith("block1 ")).findFirst().orElseThrow())
        .contains("no head");
    assertThat(
            run.out().lines().filter(l -> l.startsWith("penultimate ")).findFirst().orElseThrow())
        .matches("penultimate +0 +\\d\\.\\d{3} \\[.*");

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("step").asLong()).isEqualTo(10);
    assertThat(report.get("results")).hasSize(3);
    for (JsonNode result : report.get("results")) {
      JsonNode train = result.get("probeTrainFit");
      assertThat(train.get("low").asDouble()).isLessThanOrEqualTo(train.get("value").asDouble());
      assertThat(train.get("high").asDouble())
          .isGreaterThanOrEqualTo(train.get("value").asDouble());
      assertThat(result.get("difference").get("value").asDouble())
          .isCloseTo(
              train.get("value").asDouble() - result.get("probeTestFit").get("value").asDouble(),
              org.assertj.core.data.Offset.offset(1e-9));
    }

    List<TrainingEvent> probes =
        RunEvents.of(kafka.bootstrapServers(), RUN).stream()
            .filter(e -> e.getKind() == EventKind.PROBE)
            .toList();
    assertThat(probes).hasSize(3);
    assertThat(probes)
        .allSatisfy(
            e -> {
              assertThat(e.getSequence()).isGreaterThan(lastBefore);
              assertThat(e.getStep()).isEqualTo(10);
              assertThat(e.getMetrics())
                  .containsKeys(
                      EventMetricNames.PROBE_ACCURACY,
                      EventMetricNames.low(EventMetricNames.PROBE_ACCURACY),
                      EventMetricNames.PROBE_ACCURACY_TEST,
                      EventMetricNames.PROBE_DIFFERENCE,
                      EventMetricNames.PROBE_MEMORIZATION_INDEX);
            });
    assertThat(probes)
        .extracting(e -> e.getLabels().get("tap"))
        .containsExactly("block1", "block2", "penultimate");
  }

  @Test
  void anOlderCheckpointByStepAndOneTap() {
    CliRun run = probe(RUN, "--checkpoint", "5", "--taps", "penultimate", "--no-publish");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("at step 5, checkpoint step-000000000005.ckpt");
    assertThat(run.out().lines().filter(l -> l.startsWith("block"))).isEmpty();
  }

  @Test
  void badInputGetsOneClearLineAndAFailingExit() throws Exception {
    assertFailsWith(
        probe("nope"),
        "no run nope: no manifest.avro in ",
        " and none in memoscope.runs at " + kafka.bootstrapServers());
    assertFailsWith(
        probe(RUN, "--checkpoint", "7"), "no checkpoint at step 7", "checkpoints at steps [5, 10]");
    assertFailsWith(
        probe(RUN, "--taps", "block9"),
        "probe.taps names 'block9'",
        "[block1, block2, penultimate]");

    CliRun usage = probe(RUN, "--checkpoint", "newest");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err())
        .contains("--checkpoint must be 'latest' or a step number, not 'newest'");

    Path empty = runs().resolve("empty");
    Files.createDirectories(empty);
    Files.copy(runs().resolve(RUN).resolve("manifest.avro"), empty.resolve("manifest.avro"));
    assertFailsWith(probe("empty"), "run empty has no valid checkpoint in");
  }

  @Test
  void aRunDirectoryWithoutItsManifestGetsItFromMemoscopeRuns() throws Exception {
    Path elsewhere = dir.resolve("elsewhere");
    Path checkpoints = runs().resolve(RUN).resolve("checkpoints");
    Files.createDirectories(elsewhere.resolve(RUN).resolve("checkpoints"));
    try (Stream<Path> files = Files.list(checkpoints)) {
      for (Path file : files.toList()) {
        Files.copy(file, elsewhere.resolve(RUN).resolve("checkpoints").resolve(file.getFileName()));
      }
    }

    CliRun run =
        CliRun.of(
            Map.of(),
            "probe",
            RUN,
            "--taps",
            "penultimate",
            "--no-publish",
            "--checkpoint-dir",
            elsewhere.toString(),
            "--bootstrap",
            kafka.bootstrapServers());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("probe of run " + RUN + " (probe-syn) at step 10");
    var codec = Codecs.runManifest(SerdeSettings.defaults());
    assertThat(codec.decode(Files.readAllBytes(elsewhere.resolve(RUN).resolve("manifest.avro"))))
        .isEqualTo(codec.decode(Files.readAllBytes(runs().resolve(RUN).resolve("manifest.avro"))));

    // in memoscope.runs, but no checkpoints here: they are local files, so that is the one line
    CliRun nowhere =
        CliRun.of(
            Map.of(),
            "probe",
            RUN,
            "--checkpoint-dir",
            dir.resolve("nowhere").toString(),
            "--bootstrap",
            kafka.bootstrapServers());
    assertFailsWith(
        nowhere,
        "run probed is in memoscope.runs, but ",
        "the probe needs the run's checkpoints, which" + " are local files");
  }

  private static void assertFailsWith(CliRun run, String... parts) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    assertThat(run.err()).contains(parts);
  }
}
