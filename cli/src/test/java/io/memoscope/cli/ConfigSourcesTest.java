package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

  @TempDir Path dir;

  @Test
  void environmentWinsOverFileAndFileOverNothing() throws Exception {
    Path file = write("bootstrap=file-host:1\nbroker.port=7000\n");
    ConfigSources sources =
        ConfigSources.load(
            Optional.of(file), Map.of("MEMOSCOPE_BOOTSTRAP", "env-host:2", "PATH", "/bin"));

    assertThat(sources.lookup("bootstrap")).contains("env-host:2");
    assertThat(sources.lookup("broker.port")).contains("7000");
    assertThat(sources.lookup("broker.host")).isEmpty();
    assertThat(sources.environment()).doesNotContainKey("PATH");
  }

  @Test
  void settingsFileCanBeNamedByTheEnvironment() throws Exception {
    Path file = write("broker.data-dir=/var/lib/memoscope\n");
    Map<String, String> env = Map.of(ConfigSources.SETTINGS_ENV, file.toString());
    ConfigSources sources = ConfigSources.load(Optional.empty(), env);

    assertThat(sources.path()).contains(file);
    assertThat(sources.lookup("broker.data-dir")).contains("/var/lib/memoscope");
    assertThat(sources.environment()).isEmpty();
    assertThat(ConfigSources.deprecation(env)).isEmpty();
  }

  @Test
  void theOldVariableStillNamesTheFileWithAWarning() throws Exception {
    Path file = write("broker.data-dir=/old\n");
    Map<String, String> env = Map.of("MEMOSCOPE_CONFIG", file.toString());
    ConfigSources sources = ConfigSources.load(Optional.empty(), env);

    assertThat(sources.path()).contains(file);
    assertThat(sources.environment()).isEmpty();
    assertThat(ConfigSources.deprecation(env))
        .contains("MEMOSCOPE_CONFIG is deprecated: name the settings file with MEMOSCOPE_SETTINGS");
  }

  @Test
  void theNewVariableWinsOverTheOld() throws Exception {
    Path file = write("broker.data-dir=/new\n");
    Map<String, String> env =
        Map.of("MEMOSCOPE_SETTINGS", file.toString(), "MEMOSCOPE_CONFIG", "/nowhere.properties");

    assertThat(ConfigSources.load(Optional.empty(), env).path()).contains(file);
    assertThat(ConfigSources.deprecation(env))
        .hasValueSatisfying(w -> assertThat(w).contains("ignored"));
  }

  @Test
  void dottedAndDashedKeysMapToOneEnvironmentName() {
    assertThat(ConfigSources.environmentName("broker.data-dir"))
        .isEqualTo("MEMOSCOPE_BROKER_DATA_DIR");
    ConfigSources sources =
        ConfigSources.load(Optional.empty(), Map.of("MEMOSCOPE_BROKER_DATA_DIR", "/d"));
    assertThat(sources.lookup("broker.data-dir")).contains("/d");
  }

  @Test
  void kafkaPropertiesComeFromFileAndEnvironment() throws Exception {
    Path file =
        write("kafka.security.protocol=SASL_SSL\nkafka.sasl.mechanism=PLAIN\nbootstrap=b:9\n");
    ConfigSources sources =
        ConfigSources.load(
            Optional.of(file), Map.of("MEMOSCOPE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));

    assertThat(sources.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .hasSize(2);
  }

  @Test
  void missingSettingsFileIsAOneLineError() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigSources.load(Optional.of(missing), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("settings file " + missing + ": not found");
  }

  private Path write(String content) throws Exception {
    Path file = dir.resolve("memoscope.properties");
    Files.writeString(file, content);
    return file;
  }
}
