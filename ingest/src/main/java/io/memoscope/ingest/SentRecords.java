package io.memoscope.ingest;

import io.memoscope.protocol.kafka.AccessFailures;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker acknowledged, per partition, as reported by the send callbacks; and the first
 * failure, which dooms the transaction.
 */
final class SentRecords {

  private final Map<TopicPartition, LongAdder> acknowledged = new ConcurrentHashMap<>();
  private final LongAdder sampleBytes = new LongAdder();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /** Callback for a sample record of {@code size} value bytes. */
  Callback sample(int size) {
    return (metadata, exception) -> {
      if (record(
          metadata == null ? null : new TopicPartition(metadata.topic(), metadata.partition()),
          exception)) {
        sampleBytes.add(size);
      }
    };
  }

  /** Callback for any other record of the transaction. */
  Callback other() {
    return (metadata, exception) ->
        record(
            metadata == null ? null : new TopicPartition(metadata.topic(), metadata.partition()),
            exception);
  }

  private boolean record(TopicPartition partition, Exception exception) {
    if (exception != null) {
      failure.compareAndSet(null, exception);
      return false;
    }
    acknowledged.computeIfAbsent(partition, p -> new LongAdder()).increment();
    return true;
  }

  /**
   * @throws IngestException if any send failed
   */
  void throwIfFailed() {
    Exception e = failure.get();
    if (e != null) {
      throw new IngestException(
          "a record was not accepted by Kafka: "
              + AccessFailures.describeCause(e).orElse(e.getMessage())
              + "; nothing was committed",
          e);
    }
  }

  long acknowledged(TopicPartition partition) {
    LongAdder count = acknowledged.get(partition);
    return count == null ? 0 : count.sum();
  }

  long sampleBytes() {
    return sampleBytes.sum();
  }
}
