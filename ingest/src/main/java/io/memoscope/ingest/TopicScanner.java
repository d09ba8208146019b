package io.memoscope.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as {@code read_committed} consumers see it. Counting the committed records
 * this way is exact, where offsets are not: aborted records and transaction markers take offsets
 * too.
 */
final class TopicScanner {

  private final Map<String, Object> clientConfig;
  private final Duration timeout;

  TopicScanner(Map<String, Object> clientConfig, Duration timeout) {
    this.clientConfig = clientConfig;
    this.timeout = timeout;
  }

  /**
   * Hands every committed record of {@code topic} to {@code visitor}; returns how many there were.
   */
  long scan(String topic, Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // For a read_committed consumer the end offset is the last stable offset.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long count = 0;
      long lastProgress = System.nanoTime();
      while (!reachedEnd(consumer, end)) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
          throw new IngestException(
              "reading " + topic + ": no progress within " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          visitor.accept(record);
          count++;
        }
      }
      return count;
    }
  }

  long count(String topic) {
    return scan(topic, record -> {});
  }

  private boolean reachedEnd(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
      if (consumer.position(entry.getKey(), timeout) < entry.getValue()) {
        return false;
      }
    }
    return true;
  }
}
