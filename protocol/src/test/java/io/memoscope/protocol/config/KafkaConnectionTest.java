package io.memoscope.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

  @Test
  void flagPropertiesWinOverConfiguredOnes() {
    KafkaConnection connection =
        KafkaConnection.of(
            "b:9",
            Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"),
            Map.of("security.protocol", "SSL"));

    assertThat(connection.clientConfig())
        .containsEntry("bootstrap.servers", "b:9")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void blankBootstrapIsRefused() {
    assertThatThrownBy(() -> new KafkaConnection(" ", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap");
  }

  @Test
  void theDefaultBootstrapIsTheDefaultPortOnThisHost() {
    assertThat(KafkaConnection.DEFAULT_BOOTSTRAP).isEqualTo("127.0.0.1:9092");
  }
}
