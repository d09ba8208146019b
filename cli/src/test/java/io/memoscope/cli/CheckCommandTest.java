package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CheckCommandTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @BeforeAll
  static void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("memoscope.events", 1, (short) 1),
                  new NewTopic("other", 1, (short) 1)))
          .all()
          .get();
    }
  }

  @Test
  void reportsTheClusterAndMemoscopeTopics() {
    CliRun run = CliRun.of(Map.of(), "check", "--bootstrap", kafka.bootstrapServers());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("1 broker(s) at " + kafka.bootstrapServers())
        .contains("memoscope.events");
    assertThat(run.out()).doesNotContain("other");
  }

  @Test
  void extraKafkaPropertiesReachTheClient() {
    CliRun run =
        CliRun.of(
            Map.of(),
            "check",
            "--bootstrap",
            kafka.bootstrapServers(),
            "-X",
            "security.protocol=NOPE");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("memoscope check: ")
        .contains("security.protocol")
        .hasLineCount(1);
  }

  @Test
  void kafkaPropertyFlagsBeatTheEnvironment() {
    Map<String, String> env = Map.of("MEMOSCOPE_KAFKA_SECURITY_PROTOCOL", "NOPE");

    assertThat(CliRun.of(env, "check", "--bootstrap", kafka.bootstrapServers()).exitCode())
        .isEqualTo(1);
    CliRun fixed =
        CliRun.of(
            env,
            "check",
            "--bootstrap",
            kafka.bootstrapServers(),
            "-X",
            "security.protocol=PLAINTEXT");
    assertThat(fixed.exitCode()).as(fixed.err()).isZero();
  }
}
