package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.serde.RunManifestSerializer;
import io.memoscope.trainer.stream.EventPublisher;
import io.memoscope.trainer.stream.RunSummary;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoscope replay} and {@code memoscope runs} from Kafka alone: the original run's folder
 * is deleted before anything is replayed, so every fact about it must come from {@code
 * memoscope.runs} and {@code memoscope.events} of a real broker.
 */
class ReplayFromKafkaTest {

  private static final String ORIGINAL = "original";

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir static Path dir;

  /** What the original run returned, kept in memory only: its files are gone before any replay. */
  private static RunSummary original;

  private static final String ELSEWHERE = "elsewhere";

  @BeforeAll
  static void trainThenDeleteTheOriginalsFiles() throws Exception {
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "replay-syn",
            "--count",
            "128",
            "--test-count",
            "32",
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    Path runs = dir.resolve("A");
    Path summary = dir.resolve("original-summary.json");
    // 4 steps, an evaluation every 2 with a probe after each: the last evaluation and the last
    // probe
    // must be told from the earlier ones, and the probe's values are part of the final metrics.
    CliRun train =
        CliRun.of(
            Map.of(),
            "train",
            "--dataset",
            "replay-syn",
            "--run-id",
            ORIGINAL,
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--set",
            "model.width-scale=0.5",
            "--set",
            "heads.taps=penultimate",
            "--set",
            "eval.unit=steps",
            "--set",
            "eval.every=2",
            "--set",
            "probe.every=1",
            "--set",
            "probe.taps=penultimate",
            "--set",
            "probe.max-epochs=20",
            "--checkpoint-dir",
            runs.toString(),
            "--summary",
            summary.toString(),
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(train.exitCode()).as(train.err()).isZero();
    original = new ObjectMapper().readValue(summary.toFile(), RunSummary.class);

    delete(runs);
    Files.delete(summary);
    assertThat(dir).isEmptyDirectory();

    // A run that has not finished (no RUN_FINISHED yet) and one that failed, as the trainer records
    // them.
    RunManifest manifest = records().manifest(ORIGINAL).orElseThrow();
    publishManifest(RunManifest.newBuilder(manifest).setRunId("unfinished").build());
    publishManifest(RunManifest.newBuilder(manifest).setRunId("crashed").build());
    try (EventPublisher events = new EventPublisher(client(), "crashed", 0, 1)) {
      events.publish(
          EventKind.RUN_FINISHED, 0, Map.of(), Map.of("outcome", "failed"), "the disk is full");
    }
    // The same run as recorded on a GPU machine: same data and config, another backend.
    Map<String, String> gpu = new HashMap<>(manifest.getEnvironment());
    gpu.put("nd4j.backend", "JCublasBackend");
    gpu.remove("nd4j.blas");
    publishManifest(
        RunManifest.newBuilder(manifest).setRunId(ELSEWHERE).setEnvironment(gpu).build());
    try (EventPublisher events = new EventPublisher(client(), ELSEWHERE, 0, 1)) {
      events.publish(
          EventKind.RUN_FINISHED,
          4,
          Map.of(),
          Map.of("outcome", "succeeded"),
          original.parametersSha256());
    }
  }

  @Test
  void theManifestRecordsWhereTheRunRan() {
    Map<String, String> environment = records().manifest(ORIGINAL).orElseThrow().getEnvironment();

    assertThat(environment)
        .containsEntry("java.version", System.getProperty("java.version"))
        .containsEntry("os.arch", System.getProperty("os.arch"))
        .containsEntry("nd4j.backend", "CpuBackend")
        .containsKeys("java.vendor", "os.name", "cpu", "nd4j.build", "nd4j.blas", "nd4j.cpu-level");
  }

  @Test
  void aReplayInAnotherEnvironmentSaysWhatDiffersAndWhatBitIdentityNeeds() throws Exception {
    Map<String, String> here = records().manifest(ORIGINAL).orElseThrow().getEnvironment();

    CliRun replay = replay(Files.createDirectories(dir.resolve("B-gpu")), ELSEWHERE);

    assertThat(replay.out())
        .startsWith(
            "replay elsewhere-replay ran in another environment than elsewhere"
                + " (bit-identical parameters are promised only on the same ND4J backend and native build):\n"
                + "  nd4j.backend: JCublasBackend -> CpuBackend\n"
                + "  nd4j.blas: (not recorded) -> "
                + here.get("nd4j.blas")
                + "\n");
  }

  @Test
  void theOutcomeReadFromKafkaIsExactlyTheRunsOwnSummary() {
    RunOutcome outcome = records().outcome(ORIGINAL);

    assertThat(outcome.state()).isEqualTo(RunOutcome.State.SUCCEEDED);
    assertThat(outcome.parametersSha256()).hasSize(64).isEqualTo(original.parametersSha256());
    assertThat(original.finalMetrics())
        .containsKeys(
            "accuracy_test",
            "generalization_gap",
            "random_label_accuracy{penultimate/0}",
            "memorization_index_high{penultimate/0}",
            "probe_random_label_accuracy{penultimate/0}",
            "probe_difference_low{penultimate/0}");
    // same keys, same doubles: no count (evaluated_samples, probe_samples) and no earlier
    // evaluation
    assertThat(outcome.finalMetrics()).isEqualTo(original.finalMetrics());
  }

  @Test
  void aReplayOfTheUnchangedRunMatchesWithNoFileOfTheOriginal() throws Exception {
    Path fresh = Files.createDirectories(dir.resolve("B"));

    CliRun replay = replay(fresh, ORIGINAL);

    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out())
        .startsWith(
            "replay original-replay of original: match (parameters sha256 "
                + original.parametersSha256()
                + ")");
    try (Stream<Path> written = Files.list(fresh)) {
      assertThat(written).containsExactly(fresh.resolve("original-replay"));
    }
  }

  @Test
  void aChangedCopyListsTheDifferenceAndExitsWith1() throws Exception {
    CliRun changed =
        replay(
            Files.createDirectories(dir.resolve("B-lr")),
            ORIGINAL,
            "--run-id",
            "original-lr",
            "--set",
            "optimizer.learning-rate=0.01");

    assertThat(changed.exitCode()).as(changed.err()).isEqualTo(1);
    assertThat(changed.out())
        .startsWith("replay original-lr of original: differs")
        .contains("config optimizer.learning-rate: ")
        .contains("parameters sha256: " + original.parametersSha256() + " -> ");
  }

  @Test
  void aRunNotInMemoscopeRunsIsOneLineAndExit1() throws Exception {
    Path fresh = Files.createDirectories(dir.resolve("B-none"));

    CliRun replay = replay(fresh, "no-such-run");

    assertOneLineFailure(
        replay,
        "memoscope replay: no run no-such-run in memoscope.runs at " + kafka.bootstrapServers());
    assertThat(fresh).isEmptyDirectory();
  }

  @Test
  void aRunThatDidNotFinishOrFailedIsOneLineAndExit1() throws Exception {
    Path fresh = Files.createDirectories(dir.resolve("B-unfinished"));

    assertOneLineFailure(
        replay(fresh, "unfinished"),
        "memoscope replay: run unfinished has not finished: "
            + "memoscope.events at "
            + kafka.bootstrapServers()
            + " has no RUN_FINISHED event of it");
    assertOneLineFailure(
        replay(fresh, "crashed"), "memoscope replay: run crashed failed (the disk is full)");
    assertThat(fresh).as("nothing was trained").isEmptyDirectory();
  }

  @Test
  void anUnreachableClusterIsOneLineNamingItAndExit1() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path fresh = Files.createDirectories(dir.resolve("B-unreachable"));

    CliRun replay =
        CliRun.of(
            Map.of(),
            "replay",
            ORIGINAL,
            "--checkpoint-dir",
            fresh.toString(),
            "--bootstrap",
            "localhost:" + port,
            "--timeout",
            "1s");

    assertOneLineFailure(
        replay,
        "memoscope replay: reading memoscope.runs at localhost:"
            + port
            + ": no answer within 1000 ms");
  }

  @Test
  void runsListsEveryRunWithItsOutcomeFromKafka() {
    CliRun runs = CliRun.of(Map.of(), "runs", "--outcome", "--bootstrap", kafka.bootstrapServers());

    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(runs.out().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("original ")
                    .contains("replay-syn")
                    .endsWith("succeeded, parameters sha256 " + original.parametersSha256()));
    assertThat(runs.out().lines())
        .anySatisfy(line -> assertThat(line).startsWith("unfinished ").endsWith("not finished"));
    assertThat(runs.out().lines())
        .anySatisfy(
            line -> assertThat(line).startsWith("crashed ").endsWith("failed: the disk is full"));
    assertThat(CliRun.of(Map.of(), "runs", "--bootstrap", kafka.bootstrapServers()).out())
        .contains("original ")
        .doesNotContain("succeeded");
  }

  private static CliRun replay(Path checkpointDir, String run, String... more) {
    String[] args =
        Stream.concat(
                Stream.of(
                    "replay",
                    run,
                    "--checkpoint-dir",
                    checkpointDir.toString(),
                    "--bootstrap",
                    kafka.bootstrapServers()),
                Stream.of(more))
            .toArray(String[]::new);
    return CliRun.of(Map.of(), args);
  }

  private static void assertOneLineFailure(CliRun run, String start) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines())
        .as(run.err())
        .singleElement()
        .asString()
        .startsWith(start);
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  private static RunRecords records() {
    return new RunRecords(client(), Duration.ofSeconds(15));
  }

  private static void publishManifest(RunManifest manifest) throws Exception {
    try (KafkaProducer<String, RunManifest> producer =
        new KafkaProducer<>(client(), new StringSerializer(), new RunManifestSerializer())) {
      producer.send(new ProducerRecord<>(Topics.RUNS, manifest.getRunId(), manifest)).get();
    }
  }

  private static void delete(Path tree) throws Exception {
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
