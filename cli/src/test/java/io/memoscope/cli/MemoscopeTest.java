package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoscopeTest {

  @TempDir
  Path dir;

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
    assertThat(run.out()).contains("broker", "check", "MEMOSCOPE_CONFIG");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    CliRun run = CliRun.of(Map.of(), "broker", "--nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--nope'");
  }

  @Test
  void aMissingConfigFileIsOneLineAndAUsageError() {
    Path missing = dir.resolve("missing.properties");
    CliRun run = CliRun.of(Map.of(), "--config", missing.toString(), "broker");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("memoscope: config file " + missing + ": not found" + System.lineSeparator());
  }

  @Test
  void defaultsAreOverriddenByTheFileThenTheEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("m.properties"), "broker.port=7001\n");
    Path shared = Files.writeString(dir.resolve("shared.properties"), "port=7003\n");

    // Usage help shows each option's effective default, so it shows which layer won.
    assertThat(CliRun.of(Map.of(), "broker", "--help").out()).contains("default: 9092");
    assertThat(CliRun.of(Map.of(), "--config", file.toString(), "broker", "--help").out()).contains("default: 7001");
    assertThat(CliRun.of(Map.of("MEMOSCOPE_CONFIG", file.toString()), "broker", "--help").out()).contains("default: 7001");
    assertThat(CliRun.of(Map.of("MEMOSCOPE_BROKER_PORT", "7002"), "--config", file.toString(), "broker", "--help").out())
        .contains("default: 7002");
    assertThat(CliRun.of(Map.of(), "--config=" + shared, "broker", "--help").out()).contains("default: 7003");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheFile() throws Exception {
    // Nothing listens on these ports: the error names the address the command really used.
    Path file = Files.writeString(dir.resolve("m.properties"), "bootstrap=127.0.0.1:1\n");
    Map<String, String> env = Map.of("MEMOSCOPE_BOOTSTRAP", "127.0.0.1:2");
    String config = "--config=" + file;

    assertThat(CliRun.of(Map.of(), config, "check", "--timeout", "300ms").err()).contains("127.0.0.1:1");
    assertThat(CliRun.of(env, config, "check", "--timeout", "300ms").err()).contains("127.0.0.1:2");
    CliRun flagged = CliRun.of(env, config, "check", "--timeout", "300ms", "--bootstrap", "127.0.0.1:3");
    assertThat(flagged.exitCode()).isEqualTo(1);
    assertThat(flagged.err()).contains("127.0.0.1:3").hasLineCount(1);
  }
}
