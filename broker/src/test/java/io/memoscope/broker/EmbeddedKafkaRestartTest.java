package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaRestartTest {

  private static final List<String> VALUES = List.of("a", "b", "c", "d", "e");

  @Test
  void restartOnAPersistentDirectoryKeepsRecordsAndClusterId(@TempDir Path dir) {
    // Port 0: each start picks new client and controller ports, so this also proves that the
    // formatted storage does not pin the controller's address.
    EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withPersistentDataDir(dir);
    String clusterId;
    try (EmbeddedKafka kafka = new EmbeddedKafka(config).start()) {
      clusterId = kafka.clusterId();
      Clients.createTopic(kafka, "kept", 2);
      Clients.produce(kafka, "kept", VALUES);
    }
    assertThat(dir.resolve("meta.properties")).exists();

    try (EmbeddedKafka kafka = new EmbeddedKafka(config).start()) {
      assertThat(kafka.clusterId()).isEqualTo(clusterId);
      assertThat(kafka.dataDir()).isEqualTo(dir.toAbsolutePath());
      assertThat(Clients.readAll(kafka, "kept")).containsExactlyInAnyOrderElementsOf(VALUES);
    }
    assertThat(dir.resolve("meta.properties")).exists();
  }

  @Test
  void restartOnAFixedPortKeepsThePortAndTheData(@TempDir Path dir) {
    int port = Ports.pickFree("127.0.0.1");
    EmbeddedKafkaConfig config =
        EmbeddedKafkaConfig.defaults().withPort(port).withPersistentDataDir(dir);
    try (EmbeddedKafka kafka = new EmbeddedKafka(config).start()) {
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      Clients.createTopic(kafka, "fixed", 1);
      Clients.produce(kafka, "fixed", VALUES);
    }

    try (EmbeddedKafka kafka = new EmbeddedKafka(config).start()) {
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      assertThat(Clients.readAll(kafka, "fixed")).containsExactlyElementsOf(VALUES);
    }
  }
}
