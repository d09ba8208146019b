package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.TopicRange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Small reads over committed records: counting a range, taking the first N, reading a compacted
 * topic.
 */
final class CommittedRecords {

  private CommittedRecords() {}

  static long count(Map<String, Object> clientConfig, List<TopicRange> ranges) {
    long[] count = {0};
    new RangeReader(clientConfig, ranges, Duration.ofMillis(200))
        .read(record -> count[0]++, () -> false);
    return count[0];
  }

  /** The first {@code limit} records in the ranges' deterministic order. */
  static void first(
      Map<String, Object> clientConfig,
      List<TopicRange> ranges,
      long limit,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    long[] seen = {0};
    new RangeReader(clientConfig, ranges, Duration.ofMillis(200))
        .read(
            record -> {
              if (seen[0]++ < limit) {
                sink.accept(record);
              }
            },
            () -> seen[0] >= limit);
  }
}
