package io.memoscope.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one run's records of a topic keyed by run id ({@code memoscope.events}, {@code
 * memoscope.evaluations}) straight from Kafka: only the run's partition (where the producer's
 * default partitioner puts key = run id), without a consumer group, from where an earlier read
 * stopped up to the partition's end offset at the moment of the call. The other runs' records in
 * the partition are skipped.
 */
final class RunPartition {

  /**
   * Where a read stopped, for the next one to go on from.
   *
   * @param partitions the topic's partition count the read saw; -1 before any read
   * @param nextOffset the offset the next read starts at
   */
  record Position(int partitions, long nextOffset) {
    static final Position START = new Position(-1, 0);
  }

  private RunPartition() {}

  /**
   * Hands the value of each of the run's records after {@code from} to {@code values}, in offset
   * order, and calls {@code afterBatch} after each batch of them (a caller bounding what it keeps
   * trims there).
   *
   * @return where the next read goes on from ({@code from} if the topic does not exist)
   * @throws TimeoutException when the read takes longer than {@code timeout}
   */
  static Position read(
      Map<String, Object> clientConfig,
      String topic,
      String run,
      Position from,
      Duration timeout,
      Consumer<byte[]> values,
      Runnable afterBatch) {
    byte[] key = run.getBytes(StandardCharsets.UTF_8);
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        return from;
      }
      // First read, or the topic got more partitions: the run's records may be elsewhere now.
      long nextOffset = infos.size() == from.partitions() ? from.nextOffset() : 0;
      TopicPartition partition =
          new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % infos.size());
      consumer.assign(Set.of(partition));
      if (nextOffset == 0) {
        consumer.seekToBeginning(Set.of(partition));
      } else {
        consumer.seek(partition, nextOffset);
      }
      long end = consumer.endOffsets(Set.of(partition), timeout).get(partition);
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "reading the records of run "
                  + run
                  + " in "
                  + topic
                  + " took longer than "
                  + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end
              && record.key() != null
              && Arrays.equals(record.key(), key)
              && record.value() != null) {
            values.accept(record.value());
          }
        }
        afterBatch.run();
      }
      return new Position(infos.size(), Math.max(nextOffset, end));
    }
  }
}
