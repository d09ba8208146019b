package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaLifecycleTest {

  @Test
  void startsServesRecordsAndOnCloseReleasesPortAndDeletesTemporaryStorage() throws Exception {
    EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
    int port;
    Path dataDir;
    try {
      port = kafka.port();
      dataDir = kafka.dataDir();
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      assertThat(dataDir.resolve("meta.properties")).exists();

      try (Admin admin = Admin.create(Clients.clientConfig(kafka))) {
        Collection<Node> nodes = admin.describeCluster().nodes().get();
        assertThat(nodes).extracting(Node::id).containsExactly(1);
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(kafka.clusterId());
      }
      Clients.createTopic(kafka, "lifecycle", 1);
      Clients.produce(kafka, "lifecycle", List.of("hello", "world"));
      assertThat(Clients.readAll(kafka, "lifecycle")).containsExactly("hello", "world");
    } finally {
      kafka.close();
    }

    assertThat(kafka.isRunning()).isFalse();
    assertThat(dataDir).doesNotExist();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThat(socket.isBound()).isTrue();
    }
    assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
    kafka.close(); // a second close is harmless
  }

  @Test
  void refusesATakenPortWithAMessageNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withPort(port));

      assertThatThrownBy(kafka::start)
          .isInstanceOf(EmbeddedKafkaException.class)
          .hasMessageContaining("Port " + port)
          .hasMessageContaining("in use");
      assertThat(kafka.isRunning()).isFalse();
    }
  }

  @Test
  void twoBrokersInOneJvmAreIndependent() throws Exception {
    try (EmbeddedKafka first = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        EmbeddedKafka second = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        Admin firstAdmin = Admin.create(Clients.clientConfig(first));
        Admin secondAdmin = Admin.create(Clients.clientConfig(second))) {
      assertThat(first.port()).isNotEqualTo(second.port());
      assertThat(first.clusterId()).isNotEqualTo(second.clusterId());
      assertThat(first.dataDir()).isNotEqualTo(second.dataDir());

      Clients.createTopic(first, "only-on-first", 1);
      Clients.produce(first, "only-on-first", List.of("one"));

      assertThat(firstAdmin.listTopics().names().get()).contains("only-on-first");
      Set<String> secondTopics = secondAdmin.listTopics().names().get();
      assertThat(secondTopics).doesNotContain("only-on-first");
      assertThat(Clients.readAll(first, "only-on-first")).containsExactly("one");
    }
  }

  @Test
  void startGivesUpWithAClearMessageWhenTheBrokerDoesNotAnswerInTime() {
    // The broker runs, but tells clients to come back on a port nobody listens on, so
    // describeCluster can never be answered.
    int deadPort = Ports.pickFree("127.0.0.1");
    EmbeddedKafkaConfig config =
        EmbeddedKafkaConfig.defaults()
            .withStartTimeout(Duration.ofSeconds(6))
            .withBrokerProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + deadPort);
    EmbeddedKafka kafka = new EmbeddedKafka(config);

    assertThatThrownBy(kafka::start)
        .isInstanceOf(EmbeddedKafkaException.class)
        .hasMessageContaining("did not answer describeCluster within PT6S");
    assertThat(kafka.isRunning()).isFalse();
  }

  @Test
  void rejectsAWildcardHostClientsCannotReach() {
    assertThatThrownBy(() -> EmbeddedKafkaConfig.defaults().withHost("0.0.0.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wildcard");
    assertThatThrownBy(
            () ->
                new EmbeddedKafkaConfig(
                    "127.0.0.1", 0, null, true, Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data directory");
  }
}
