package io.memoscope.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

  @TempDir
  Path dir;

  @Test
  void environmentWinsOverFileAndFileOverNothing() throws Exception {
    Path file = write("bootstrap=file-host:1\nbroker.port=7000\n");
    ConfigSources sources = ConfigSources.load(Optional.of(file), Map.of("MEMOSCOPE_BOOTSTRAP", "env-host:2", "PATH", "/bin"));

    assertThat(sources.lookup("bootstrap")).contains("env-host:2");
    assertThat(sources.lookup("broker.port")).contains("7000");
    assertThat(sources.lookup("broker.host")).isEmpty();
    assertThat(sources.environment()).doesNotContainKey("PATH");
  }

  @Test
  void configFileCanBeNamedByTheEnvironment() throws Exception {
    Path file = write("broker.data-dir=/var/lib/memoscope\n");
    ConfigSources sources = ConfigSources.load(Optional.empty(), Map.of(ConfigSources.CONFIG_ENV, file.toString()));

    assertThat(sources.path()).contains(file);
    assertThat(sources.lookup("broker.data-dir")).contains("/var/lib/memoscope");
  }

  @Test
  void dottedAndDashedKeysMapToOneEnvironmentName() {
    assertThat(ConfigSources.environmentName("broker.data-dir")).isEqualTo("MEMOSCOPE_BROKER_DATA_DIR");
    ConfigSources sources = ConfigSources.load(Optional.empty(), Map.of("MEMOSCOPE_BROKER_DATA_DIR", "/d"));
    assertThat(sources.lookup("broker.data-dir")).contains("/d");
  }

  @Test
  void kafkaPropertiesComeFromFileAndEnvironmentAndFlagsWin() throws Exception {
    Path file = write("kafka.security.protocol=SASL_SSL\nkafka.sasl.mechanism=PLAIN\nbootstrap=b:9\n");
    ConfigSources sources = ConfigSources.load(Optional.of(file), Map.of("MEMOSCOPE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));

    assertThat(sources.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .hasSize(2);

    KafkaConnection connection = KafkaConnection.of("b:9", sources, Map.of("security.protocol", "SSL"));
    assertThat(connection.clientConfig())
        .containsEntry("bootstrap.servers", "b:9")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void missingConfigFileIsAOneLineError() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigSources.load(Optional.of(missing), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + ": not found");
  }

  @Test
  void blankBootstrapIsRefused() {
    assertThatThrownBy(() -> new KafkaConnection(" ", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap");
  }

  private Path write(String content) throws Exception {
    Path file = dir.resolve("memoscope.properties");
    Files.writeString(file, content);
    return file;
  }
}
