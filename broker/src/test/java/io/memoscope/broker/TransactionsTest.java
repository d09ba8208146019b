package io.memoscope.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TransactionsTest {

  @RegisterExtension static final EmbeddedKafkaExtension broker = new EmbeddedKafkaExtension();

  @Test
  void readCommittedSeesOnlyTheCommittedBatchAndReadUncommittedSeesBoth() throws Exception {
    Clients.createTopic(broker.kafka(), "transactions", 1);
    try (KafkaProducer<String, String> producer =
        Clients.producer(
            broker.kafka(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "transactions-test"))) {
      producer.initTransactions();

      producer.beginTransaction();
      for (String value : List.of("committed-1", "committed-2", "committed-3")) {
        producer.send(new ProducerRecord<>("transactions", value));
      }
      producer.commitTransaction();

      producer.beginTransaction();
      for (String value : List.of("aborted-1", "aborted-2")) {
        producer.send(new ProducerRecord<>("transactions", value));
      }
      // The aborted records must reach the log, or read_uncommitted could not see them either.
      producer.flush();
      producer.abortTransaction();
    }

    assertThat(
            Clients.readAll(
                broker.kafka(),
                "transactions",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
        .containsExactly("committed-1", "committed-2", "committed-3");
    assertThat(
            Clients.readAll(
                broker.kafka(),
                "transactions",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")))
        .containsExactly("committed-1", "committed-2", "committed-3", "aborted-1", "aborted-2");
  }
}
