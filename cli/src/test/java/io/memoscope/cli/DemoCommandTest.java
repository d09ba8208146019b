package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.memoscope.ingest.source.IdxSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memoscope demo}'s choices, without starting anything (DemoCommandIT runs it). */
class DemoCommandTest {

  @TempDir Path dir;

  @Test
  void syntheticDataIsNamedAfterItsSize() {
    DemoData data = DemoData.choose(null, true, 600, null);

    assertThat(data.source()).isEqualTo("synthetic");
    assertThat(data.dataset()).isEqualTo("synthetic-600");
    assertThat(data.options()).containsEntry("count", "600").containsEntry("test-count", "100");
    assertThat(data.description()).startsWith("a synthetic Fashion-MNIST-like set");
  }

  @Test
  void debiansFashionMnistIsTheDefaultWhenInstalled() {
    assumeThat(IdxSource.DEFAULT_DIR).isDirectory();

    DemoData data = DemoData.choose(null, false, 10_000, null);

    assertThat(data.source()).isEqualTo("idx");
    assertThat(data.dataset()).isEqualTo("fashion-mnist-10k");
    assertThat(data.description()).isEqualTo("Fashion-MNIST from " + IdxSource.DEFAULT_DIR);
  }

  @Test
  void anIdxFolderIsNamedAfterTheFolderUnlessADatasetNameIsGiven() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("My MNIST"));

    assertThat(DemoData.choose(folder, false, 2500, null).dataset()).isEqualTo("my-mnist-2500");
    assertThat(DemoData.choose(folder, false, 2500, null).options())
        .containsEntry("dir", folder.toString());
    assertThat(DemoData.choose(folder, false, 2500, "digits").dataset()).isEqualTo("digits");
  }

  @Test
  void aMissingDataFolderIsAUsageError() {
    CliRun run = CliRun.of(Map.of(), "demo", "--data", dir.resolve("nowhere").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no such folder");
  }

  @Test
  void aBadTrainingKeyIsOneLineAndExit1() {
    CliRun run = CliRun.of(Map.of(), "demo", "--synthetic", "--set", "no.such.key=1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines()).singleElement().asString().contains("no.such.key");
  }

  @Test
  void helpNamesEveryOption() {
    CliRun run = CliRun.of(Map.of(), "demo", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "--epochs",
            "--limit",
            "--run-id",
            "--data=DIR",
            "--synthetic",
            "--port",
            "--metrics-port",
            "--prometheus",
            "--prometheus-port",
            "--data-root",
            "--set");
  }

  @Test
  void prometheusConfigComesFromTheRepositoryScriptWhenAtHand() throws Exception {
    Path script = Path.of("..", "prometheus", "render-local.sh").toAbsolutePath().normalize();
    assumeThat(script).isRegularFile();
    Path config = dir.resolve("prometheus.yml");

    DemoPrometheus.writeConfig(config, 19404, List.of(script), new PrintWriter(new StringWriter()));

    assertThat(Files.readString(config))
        .contains(
            "job_name: memoscope-metrics",
            "\"127.0.0.1:19404\"",
            "\"" + script.resolveSibling("rules").resolve("memoscope.yml") + "\"")
        .doesNotContain("metrics:9404\"");
  }

  @Test
  void prometheusConfigFallsBackToAnEquivalentMinimalOne() throws Exception {
    Path config = dir.resolve("prometheus.yml");
    StringWriter said = new StringWriter();

    DemoPrometheus.writeConfig(config, 19404, List.of(), new PrintWriter(said, true));

    assertThat(said.toString()).contains("minimal scrape config, without the alert rules");
    assertThat(Files.readString(config))
        .contains(
            "job_name: memoscope-metrics",
            "metrics_path: /metrics",
            "targets: [\"127.0.0.1:19404\"]");
  }

  @Test
  void aDatasetNameMustBeValid() {
    assertThatThrownBy(() -> DemoData.choose(null, true, 10, "Not Valid"))
        .isInstanceOf(RuntimeException.class);
  }
}
