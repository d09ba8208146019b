package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.kafka.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SASL_SSL + SCRAM + ACL mode of {@link EmbeddedKafka}, against one secured broker. */
class SecuredBrokerTest {

  /** Client timeouts for the failures, so each one shows within seconds. */
  private static final int FAIL_FAST_MS = 5_000;

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start(@TempDir Path dir) {
    kafka =
        new EmbeddedKafka(
                EmbeddedKafkaConfig.defaults()
                    .withSecurity(Security.scram(dir.resolve("tls"), "alice")))
            .start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void writesTheTlsMaterialIntoTheDirectory(@TempDir Path dir) {
    TlsMaterial tls = TlsMaterial.generate(dir);
    assertThat(dir.resolve(TlsMaterial.KEYSTORE_FILE)).isEqualTo(tls.keystore()).isRegularFile();
    assertThat(dir.resolve(TlsMaterial.TRUSTSTORE_FILE))
        .isEqualTo(tls.truststore())
        .isRegularFile();
    assertThat(dir.resolve(TlsMaterial.CA_CERTIFICATE_FILE)).isRegularFile();
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(3);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(tls.toString()).doesNotContain(tls.password());
    assertThatThrownBy(() -> TlsMaterial.generate(dir))
        .isInstanceOf(EmbeddedKafkaException.class)
        .hasMessageContaining("Not overwriting");
  }

  @Test
  void theAdminProducesAndConsumesOverSaslSsl() {
    String topic = "secured-round-trip";
    createTopic(topic);
    Map<String, Object> admin = kafka.adminProperties();
    assertThat(admin)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", kafka.bootstrapServers());

    try (KafkaProducer<String, String> producer = Clients.producer(kafka, admin)) {
      for (String value : List.of("a", "b", "c")) {
        producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new AssertionError("Producing as admin failed", e);
    }
    assertThat(Clients.readAll(kafka, topic, admin)).containsExactly("a", "b", "c");
  }

  @Test
  void aWrongPasswordFailsAuthentication() {
    Map<String, Object> props =
        kafka.config().security().clientProperties("alice", "not-alice's-password");
    props.put("bootstrap.servers", kafka.bootstrapServers());
    assertThat(describeClusterFailure(props)).isInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties("alice"));
    // The JDK's own trusted CAs, which never signed the broker's certificate.
    props.keySet().removeIf(key -> key.startsWith("ssl.truststore."));
    assertThat(describeClusterFailure(props)).isInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void aPlaintextClientGetsNoAnswerFromTheClientPort() {
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
    // The TLS listener drops the connection; the client tries again until its timeout.
    assertThat(describeClusterFailure(props, 2_000)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void noListenerTakesPlaintextAndTheInternalOnesAreOnLoopback(@TempDir Path dir) {
    Map<String, String> props =
        BrokerProperties.secured(
            "localhost",
            9093,
            9094,
            9095,
            dir,
            Duration.ofSeconds(1),
            kafka.config().security(),
            Map.of());
    assertThat(props.get("listener.security.protocol.map").split(","))
        .containsExactlyInAnyOrder(
            "CLIENT:SASL_SSL", "INTERNAL:SASL_PLAINTEXT", "CONTROLLER:SASL_PLAINTEXT");
    assertThat(props.get("listeners").split(","))
        .containsExactlyInAnyOrder(
            "CLIENT://localhost:9093", "INTERNAL://127.0.0.1:9094", "CONTROLLER://127.0.0.1:9095");
    assertThat(props)
        .containsEntry("authorizer.class.name", BrokerProperties.STANDARD_AUTHORIZER)
        .containsEntry("allow.everyone.if.no.acl.found", "false")
        .containsEntry("super.users", "User:broker;User:admin");
  }

  @Test
  void aUserMayProduceOnlyOnceGrantedWriteOnTheTopic() throws Exception {
    String topic = "secured-acl";
    createTopic(topic);
    Map<String, Object> alice = new HashMap<>(kafka.clientProperties("alice"));
    // The refusal comes with the topic's metadata, which send() waits for up to max.block.ms.
    alice.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, FAIL_FAST_MS);

    // Without idempotence: an idempotent producer would also be refused its producer id
    // (ClusterAuthorizationException), racing with the topic's refusal.
    Map<String, Object> plain = new HashMap<>(alice);
    plain.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    try (KafkaProducer<String, String> producer = Clients.producer(kafka, plain)) {
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>(topic, "refused")).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    kafka.grant(
        "alice",
        ResourceType.TOPIC,
        topic,
        PatternType.LITERAL,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);

    // The idempotent producer too: WRITE on a topic is enough for a producer id.
    try (KafkaProducer<String, String> producer = Clients.producer(kafka, alice)) {
      producer.send(new ProducerRecord<>(topic, "allowed")).get(30, TimeUnit.SECONDS);
    }
    assertThat(Clients.readAll(kafka, topic, kafka.adminProperties())).containsExactly("allowed");
  }

  @Test
  void aRestartOnTheSameDataSetsTheGivenPasswords(@TempDir Path dir) throws Exception {
    TlsMaterial tls = kafka.config().security().tls();
    EmbeddedKafkaConfig persistent =
        EmbeddedKafkaConfig.defaults().withPersistentDataDir(dir.resolve("data"));
    try (EmbeddedKafka first =
        new EmbeddedKafka(
                persistent.withSecurity(Security.scram(tls, Map.of("bob", "first-password"))))
            .start()) {
      assertThat(describeCluster(first.clientProperties("bob"))).isNotEmpty();
    }

    try (EmbeddedKafka restarted =
        new EmbeddedKafka(
                persistent.withSecurity(Security.scram(tls, Map.of("bob", "second-password"))))
            .start()) {
      Path file = restarted.writeClientProperties("bob", dir.resolve("bob.properties"));
      Properties fromFile = new Properties();
      try (var in = Files.newBufferedReader(file)) {
        fromFile.load(in);
      }
      Map<String, Object> bob = new HashMap<>();
      fromFile.forEach((key, value) -> bob.put(key.toString(), value));
      assertThat(bob.get("sasl.jaas.config").toString()).contains("password=\"second-password\"");
      assertThat(describeCluster(bob)).isNotEmpty();

      Map<String, Object> old =
          restarted.config().security().clientProperties("bob", "first-password");
      old.put("bootstrap.servers", restarted.bootstrapServers());
      assertThat(describeClusterFailure(old)).isInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static Collection<Node> describeCluster(Map<String, Object> props) throws Exception {
    try (Admin admin = Admin.create(props)) {
      return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    }
  }

  private static void createTopic(String topic) {
    TopicAdmin.createTopic(
        kafka.adminProperties(),
        new NewTopic(topic, 1, (short) 1),
        TopicAdmin.IfExists.FAIL,
        Clients.TIMEOUT);
  }

  /**
   * The cause of an Admin describeCluster's failure, which must come within the client timeouts.
   */
  private static Throwable describeClusterFailure(Map<String, Object> props) {
    return describeClusterFailure(props, FAIL_FAST_MS);
  }

  private static Throwable describeClusterFailure(Map<String, Object> props, int timeoutMs) {
    Map<String, Object> config = new HashMap<>(props);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    long startNanos = System.nanoTime();
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(timeoutMs + 5_000L, TimeUnit.MILLISECONDS);
      throw new AssertionError("describeCluster succeeded with " + config.keySet());
    } catch (ExecutionException e) {
      assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
          .isLessThan(Duration.ofMillis(timeoutMs + 2_000L));
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("describeCluster neither answered nor failed in time", e);
    }
  }
}
