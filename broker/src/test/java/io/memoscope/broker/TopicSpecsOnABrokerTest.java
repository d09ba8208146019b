package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpec;
import io.memoscope.protocol.kafka.TopicSpecs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TopicAdmin#ensure} on a real broker: topics made from their specs, existing ones checked.
 */
class TopicSpecsOnABrokerTest {

  @RegisterExtension static final EmbeddedKafkaExtension broker = new EmbeddedKafkaExtension();

  @Test
  void createdTopicsKeepWhatTheSpecsSay() throws Exception {
    try (Admin admin = Admin.create(Clients.clientConfig(broker.kafka()))) {
      for (TopicSpec spec :
          List.of(TopicSpecs.samples("specs", Split.train, 2), TopicSpecs.runs())) {
        assertThat(TopicAdmin.ensure(admin, spec, TopicSettings.DEFAULTS, Clients.TIMEOUT))
            .isEmpty();
      }

      Config samples = configOf(admin, "samples.specs.train");
      assertThat(samples.get("retention.ms").value()).isEqualTo("-1");
      assertThat(samples.get("retention.bytes").value()).isEqualTo("-1");
      assertThat(samples.get("cleanup.policy").value()).isEqualTo("delete");
      assertThat(
              admin
                  .describeTopics(List.of("samples.specs.train"))
                  .allTopicNames()
                  .get()
                  .get("samples.specs.train")
                  .partitions())
          .hasSize(2);
      assertThat(configOf(admin, "memoscope.runs").get("cleanup.policy").value())
          .isEqualTo("compact");
      // A second service ensuring the same topic finds nothing to say.
      assertThat(
              TopicAdmin.ensure(admin, TopicSpecs.runs(), TopicSettings.DEFAULTS, Clients.TIMEOUT))
          .isEmpty();
    }
  }

  @Test
  void anExistingTopicWithAWeeksRetentionIsReportedAndLeftAlone() throws Exception {
    try (Admin admin = Admin.create(Clients.clientConfig(broker.kafka()))) {
      String topic = "samples.week.test";
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, Optional.of(1), Optional.empty())
                      .configs(Map.of("retention.ms", "604800000"))))
          .all()
          .get();

      List<String> found =
          TopicAdmin.ensure(
              admin,
              TopicSpecs.samples("week", Split.test, 1),
              TopicSettings.DEFAULTS,
              Clients.TIMEOUT);

      assertThat(found)
          .containsExactly(
              topic
                  + " has retention.ms=604800000, not -1: records older than that are"
                  + " deleted and runs trained on them can no longer be replayed");
      assertThat(configOf(admin, topic).get("retention.ms").value()).isEqualTo("604800000");
    }
  }

  @Test
  void anExistingCompactedEventsTopicIsRefused() throws Exception {
    try (Admin admin = Admin.create(Clients.clientConfig(broker.kafka()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("memoscope.events", Optional.of(1), Optional.empty())
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();

      assertThatThrownBy(
              () ->
                  TopicAdmin.ensure(
                      admin, TopicSpecs.events(), TopicSettings.DEFAULTS, Clients.TIMEOUT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("memoscope.events has cleanup.policy=compact");
    }
  }

  @Test
  void askingForMoreReplicasThanAnExistingTopicHasIsReported() throws Exception {
    try (Admin admin = Admin.create(Clients.clientConfig(broker.kafka()))) {
      TopicAdmin.ensure(admin, TopicSpecs.datasets(), TopicSettings.DEFAULTS, Clients.TIMEOUT);

      // One broker cannot hold 3 replicas, but the topic exists already, so nothing is created.
      List<String> found =
          TopicAdmin.ensure(
              admin,
              TopicSpecs.datasets(),
              TopicSettings.DEFAULTS.withReplicationFactor((short) 3),
              Clients.TIMEOUT);

      assertThat(found)
          .containsExactly(
              "memoscope.datasets has 1 replica(s) per partition, not the 3 asked for: it"
                  + " was created before with fewer, and Kafka does not add replicas by itself");
    }
  }

  private static Config configOf(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }
}
