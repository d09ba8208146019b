package io.memoscope.metrics;

import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one sample's record from its sample topic, where a {@code SampleEvaluation} says it is: a
 * consumer assigned to the one partition and seeked to the offset, without a consumer group, so
 * nothing is committed and no group is joined for a thumbnail.
 */
final class SampleImages {

  private final Map<String, Object> clientConfig;
  private final Duration timeout;

  SampleImages(Map<String, Object> clientConfig, Duration timeout) {
    this.clientConfig = new HashMap<>(clientConfig);
    this.clientConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.clientConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.clientConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    // Ingest writes in transactions: a record of an aborted one was never trained on.
    this.clientConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.clientConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.timeout = timeout;
  }

  /**
   * The record at {@code offset} of {@code partition}, decoded; empty when the partition has no
   * record there (the topic was truncated or recreated since the evaluation).
   *
   * @throws TimeoutException when Kafka does not answer within the timeout
   * @throws org.apache.kafka.common.errors.SerializationException when the record does not decode
   */
  Optional<ImageSample> read(TopicPartition partition, long offset) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            clientConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(Set.of(partition));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(Set.of(partition), timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(Set.of(partition), timeout);
      if (begin.get(partition) == null
          || offset < begin.get(partition)
          || offset >= end.get(partition)) {
        return Optional.empty();
      }
      consumer.seek(partition, offset);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return Optional.ofNullable(
                new ImageSampleDeserializer().deserialize(partition.topic(), record.value()));
          }
          if (record.offset() > offset) {
            return Optional.empty(); // compacted or a transaction marker: no record there
          }
        }
      }
      throw new TimeoutException(
          "reading " + partition + " at offset " + offset + " took longer than " + timeout);
    }
  }
}
