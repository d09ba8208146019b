package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConsumerGroupTest {

  @RegisterExtension static final EmbeddedKafkaExtension broker = new EmbeddedKafkaExtension();

  /** Both the classic rebalance protocol and KIP-848's need the offsets topic single-node. */
  @ParameterizedTest
  @EnumSource(GroupProtocol.class)
  void aSubscribedGroupMemberReceivesTheRecordsAndCommitsItsOffsets(GroupProtocol protocol)
      throws Exception {
    String topic = "group-" + protocol.name().toLowerCase();
    String group = "memoscope-" + protocol.name().toLowerCase();
    List<String> values = IntStream.range(0, 20).mapToObj(i -> "record-" + i).toList();
    Clients.createTopic(broker.kafka(), topic, 2);
    Clients.produce(broker.kafka(), topic, values);

    List<String> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(
            broker.kafka(),
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                protocol.name().toLowerCase(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Clients.TIMEOUT)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(100))
                    .forEach(record -> received.add(record.value()));
                return received.size() >= values.size();
              });
      consumer.commitSync();
    }

    assertThat(received).containsExactlyInAnyOrderElementsOf(values);
    try (Admin admin = Admin.create(Clients.clientConfig(broker.kafka()))) {
      Map<?, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
          .isEqualTo(values.size());
    }
  }
}
