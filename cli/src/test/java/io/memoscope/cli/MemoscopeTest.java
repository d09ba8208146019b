package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoscopeTest {

  @TempDir Path dir;

  @Test
  void versionNamesTheBuild() {
    CliRun run = CliRun.of(Map.of(), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("memoscope 0.").doesNotContain("${").doesNotContain("unknown");
  }

  @Test
  void helpListsTheCommands() {
    CliRun run = CliRun.of(Map.of(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("broker", "check", "--settings", "MEMOSCOPE_SETTINGS");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    CliRun run = CliRun.of(Map.of(), "broker", "--nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--nope'");
  }

  @Test
  void aMissingSettingsFileIsOneLineAndAUsageError() {
    Path missing = dir.resolve("missing.properties");
    CliRun run = CliRun.of(Map.of(), "--settings", missing.toString(), "broker");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("memoscope: settings file " + missing + ": not found" + System.lineSeparator());
  }

  @Test
  void configBeforeTheCommandIsOneLinePointingAtSettings() throws Exception {
    Path file = Files.writeString(dir.resolve("m.properties"), "broker.port=7001\n");
    for (String[] args :
        new String[][] {
          {"--config", file.toString(), "train", "--help"}, {"--config=" + file, "broker"}
        }) {
      CliRun run = CliRun.of(Map.of(), args);

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).hasLineCount(1).startsWith("memoscope: ").contains("--settings FILE");
    }
  }

  @Test
  void configAfterTrainIsStillTheTrainingConfig() throws Exception {
    // The training config is read before Kafka is asked anything: its bad value is the error.
    Path yaml = Files.writeString(dir.resolve("run.yaml"), "epochs: 0\n");
    CliRun run = CliRun.of(Map.of(), "train", "--dataset", "d", "--config", yaml.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).hasLineCount(1).contains(yaml + ": epochs must be at least 1, not 0");
  }

  @Test
  void theOldSettingsVariableStillWorksWithAOneLineWarning() throws Exception {
    Path file = Files.writeString(dir.resolve("m.properties"), "broker.port=7001\n");
    CliRun run = CliRun.of(Map.of("MEMOSCOPE_CONFIG", file.toString()), "broker", "--help");

    assertThat(run.out()).contains("default: 7001");
    assertThat(run.err())
        .isEqualTo(
            "memoscope: warning: MEMOSCOPE_CONFIG is deprecated: name the settings file with"
                + " MEMOSCOPE_SETTINGS"
                + System.lineSeparator());
  }

  @Test
  void defaultsAreOverriddenByTheFileThenTheEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("m.properties"), "broker.port=7001\n");
    Path shared = Files.writeString(dir.resolve("shared.properties"), "port=7003\n");

    // Usage help shows each option's effective default, so it shows which layer won.
    assertThat(CliRun.of(Map.of(), "broker", "--help").out()).contains("default: 9092");
    assertThat(CliRun.of(Map.of(), "--settings", file.toString(), "broker", "--help").out())
        .contains("default: 7001");
    assertThat(CliRun.of(Map.of("MEMOSCOPE_SETTINGS", file.toString()), "broker", "--help").out())
        .contains("default: 7001");
    assertThat(
            CliRun.of(
                    Map.of("MEMOSCOPE_BROKER_PORT", "7002"),
                    "--settings",
                    file.toString(),
                    "broker",
                    "--help")
                .out())
        .contains("default: 7002");
    assertThat(CliRun.of(Map.of(), "--settings=" + shared, "broker", "--help").out())
        .contains("default: 7003");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheFile() throws Exception {
    // Nothing listens on these ports: the error names the address the command really used.
    Path file = Files.writeString(dir.resolve("m.properties"), "bootstrap=127.0.0.1:1\n");
    Map<String, String> env = Map.of("MEMOSCOPE_BOOTSTRAP", "127.0.0.1:2");
    String config = "--settings=" + file;

    assertThat(CliRun.of(Map.of(), config, "check", "--timeout", "300ms").err())
        .contains("127.0.0.1:1");
    assertThat(CliRun.of(env, config, "check", "--timeout", "300ms").err()).contains("127.0.0.1:2");
    CliRun flagged =
        CliRun.of(env, config, "check", "--timeout", "300ms", "--bootstrap", "127.0.0.1:3");
    assertThat(flagged.exitCode()).isEqualTo(1);
    assertThat(flagged.err()).contains("127.0.0.1:3").hasLineCount(1);
  }
}
