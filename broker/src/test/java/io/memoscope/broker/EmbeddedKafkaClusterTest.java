package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.kafka.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real KRaft nodes in one JVM: replicated by default, and nothing acknowledged is lost with
 * one gone.
 */
class EmbeddedKafkaClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void losingTheLeaderOfAPartitionLosesNoAcknowledgedRecord() throws Exception {
    try (EmbeddedKafkaCluster cluster =
            new EmbeddedKafkaCluster(EmbeddedKafkaConfig.defaults(), 3).start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).hasSize(3);
      assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
      // The cluster's defaults: 3 replicas, 2 in sync.
      TopicDescription topic =
          TopicAdmin.createTopic(
              admin,
              new NewTopic("replicated", Optional.of(1), Optional.empty()),
              TopicAdmin.IfExists.FAIL,
              TIMEOUT);
      assertThat(topic.partitions().get(0).replicas()).hasSize(3);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "replicated");
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get("min.insync.replicas")
                  .value())
          .isEqualTo("2");
      int leader = topic.partitions().get(0).leader().id();

      String bootstrap = cluster.bootstrapServers();
      try (KafkaProducer<String, String> producer = producer(bootstrap)) {
        for (int i = 0; i < 100; i++) {
          producer.send(new ProducerRecord<>("replicated", "r" + i)).get();
        }
        cluster.stopNode(leader);
        for (int i = 100; i < 200; i++) {
          producer.send(new ProducerRecord<>("replicated", "r" + i)).get();
        }
      }

      assertThat(cluster.runningNodeIds()).hasSize(2).doesNotContain(leader);
      assertThat(readAll(bootstrap, "replicated"))
          .containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(i -> "r" + i).toList());
      assertThatThrownBy(() -> cluster.stopNode(leader))
          .hasMessage("node " + leader + " is already stopped");
    }
  }

  @Test
  void aClusterHasOneToFiveNodes() {
    assertThatThrownBy(() -> new EmbeddedKafkaCluster(EmbeddedKafkaConfig.defaults(), 0))
        .hasMessage("a cluster has 1 to 5 nodes, not 0");
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Map<String, Object> config =
        ProducerSettings.safe(new HashMap<>(Map.of("bootstrap.servers", bootstrap)));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(config);
  }

  private static List<String> readAll(String bootstrap, String topic) {
    Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrap));
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      List<String> values = new ArrayList<>();
      while (consumer.position(partition, TIMEOUT) < end) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          values.add(record.value());
        }
      }
      return values;
    }
  }
}
