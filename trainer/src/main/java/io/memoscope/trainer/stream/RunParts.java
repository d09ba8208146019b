package io.memoscope.trainer.stream;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What a streaming run's background threads work with: the Kafka producers of its events and dead
 * letters, and a look at each record the prefetch thread reads before decoding it. A run uses
 * {@link #KAFKA}; the tests subclass it to make one of those threads fail (with an {@link Error},
 * say) against a real broker.
 */
class RunParts {

  static final RunParts KAFKA = new RunParts();

  <K, V> Producer<K, V> producer(
      Map<String, Object> config, Serializer<K> keys, Serializer<V> values) {
    return new KafkaProducer<>(config, keys, values);
  }

  /** On the prefetch thread, before {@code record} is decoded. */
  void reading(ConsumerRecord<byte[], byte[]> record) {}
}
