package io.memoscope.broker;

import static org.awaitility.Awaitility.await;

import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.kafka.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Kafka clients for tests against an {@link EmbeddedKafka}. */
final class Clients {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Clients() {}

  static Map<String, Object> clientConfig(EmbeddedKafka kafka) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    return config;
  }

  static void createTopic(EmbeddedKafka kafka, String topic, int partitions) {
    NewTopic newTopic = new NewTopic(topic, partitions, (short) 1);
    TopicAdmin.createTopic(clientConfig(kafka), newTopic, TopicAdmin.IfExists.FAIL, TIMEOUT);
  }

  static KafkaProducer<String, String> producer(EmbeddedKafka kafka, Map<String, Object> extra) {
    Map<String, Object> config = ProducerSettings.safe(clientConfig(kafka));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.putAll(extra);
    return new KafkaProducer<>(config);
  }

  /** Sends the values in order and waits until the broker acknowledged each one. */
  static void produce(EmbeddedKafka kafka, String topic, List<String> values) {
    try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value)).get();
      }
    } catch (Exception e) {
      throw new AssertionError("Producing to " + topic + " failed", e);
    }
  }

  static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, Map<String, Object> extra) {
    Map<String, Object> config = clientConfig(kafka);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putAll(extra);
    return new KafkaConsumer<>(config);
  }

  /** Every value in the topic, partition by partition, read without a consumer group. */
  static List<String> readAll(EmbeddedKafka kafka, String topic) {
    return readAll(kafka, topic, Map.of());
  }

  /**
   * Every value the consumer may see in the topic (with {@code read_committed}, up to the last
   * stable offset), read up to the end offsets of the moment of the call.
   */
  static List<String> readAll(EmbeddedKafka kafka, String topic, Map<String, Object> extra) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka, extra)) {
      Set<TopicPartition> partitions =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .collect(Collectors.toSet());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
      return records.stream()
          .sorted(
              (a, b) ->
                  a.partition() != b.partition()
                      ? Integer.compare(a.partition(), b.partition())
                      : Long.compare(a.offset(), b.offset()))
          .map(ConsumerRecord::value)
          .toList();
    }
  }
}
