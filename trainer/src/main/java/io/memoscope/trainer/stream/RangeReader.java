package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.TopicRange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads exactly a run's offset ranges, committed records only, and hands the records on in an order
 * that depends only on the ranges: round-robin over the partitions (in the order of the ranges),
 * one record from each in turn, a partition dropping out when its range is exhausted. Timing never
 * matters: a record is handed on only when it is its partition's turn, and a partition whose
 * buffered records reach a bound is paused, so memory stays bounded.
 */
final class RangeReader {

  private static final int BUFFER_PER_PARTITION = 2_048;

  private static final long MAX_BACKOFF_MILLIS = 10_000;

  /**
   * No record and no movement for this long while records remain: the broker is taken to be away.
   */
  private static final long STALL_NANOS = 3_000_000_000L;

  private final Map<String, Object> clientConfig;
  private final List<TopicRange> ranges;
  private final Duration pollTimeout;
  private final BrokerWaits waits;

  RangeReader(Map<String, Object> clientConfig, List<TopicRange> ranges, Duration pollTimeout) {
    this(clientConfig, ranges, pollTimeout, BrokerWaits.NONE);
  }

  RangeReader(
      Map<String, Object> clientConfig,
      List<TopicRange> ranges,
      Duration pollTimeout,
      BrokerWaits waits) {
    this.clientConfig = clientConfig;
    this.ranges = List.copyOf(ranges);
    this.pollTimeout = pollTimeout;
    this.waits = waits;
  }

  /**
   * Reads every committed record of the ranges once, in the deterministic order, until {@code stop}
   * says so.
   */
  void read(Consumer<ConsumerRecord<byte[], byte[]>> sink, BooleanSupplier stop) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    List<TopicPartition> partitions = new ArrayList<>();
    Map<TopicPartition, TopicRange> byPartition = new HashMap<>();
    for (TopicRange range : ranges) {
      if (range.getEndOffset() > range.getStartOffset()) {
        TopicPartition partition = new TopicPartition(range.getTopic(), range.getPartition());
        partitions.add(partition);
        byPartition.put(partition, range);
      }
    }
    if (partitions.isEmpty()) {
      return;
    }
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      consumer.assign(partitions);
      for (TopicPartition partition : partitions) {
        consumer.seek(partition, byPartition.get(partition).getStartOffset());
      }
      Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
      partitions.forEach(p -> buffers.put(p, new ArrayDeque<>()));
      List<TopicPartition> active = new ArrayList<>(partitions);
      int turn = 0;
      Stall stall = new Stall();
      while (!active.isEmpty() && !stop.getAsBoolean()) {
        TopicPartition partition = active.get(turn);
        ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(partition);
        if (!buffer.isEmpty()) {
          sink.accept(buffer.poll());
          turn = (turn + 1) % active.size();
        } else if (retrying(
            () -> exhausted(consumer, partition, byPartition.get(partition)), stop)) {
          active.remove(turn);
          if (!active.isEmpty()) {
            turn %= active.size();
          }
        } else {
          retrying(
              () -> {
                stall.observe(fill(consumer, buffers, byPartition));
                return true;
              },
              stop);
        }
      }
    } finally {
      // Without a timeout, close() waits for the fetch still in flight, a long poll of up to
      // fetch.max.wait.ms (500 ms) once the range is read: half a second lost at every epoch's
      // start.
      // Nothing of an assigned consumer needs that wait: it has no group and no offsets to commit.
      consumer.close(CloseOptions.timeout(Duration.ZERO));
    }
  }

  /**
   * The consumer reconnects by itself and keeps its position, so an outage shows only as polls that
   * bring nothing; after a few seconds of that it is reported, and again when records flow.
   */
  private final class Stall {
    private long since = -1;
    private boolean reported;

    void observe(int records) {
      long now = System.nanoTime();
      if (records > 0) {
        if (reported) {
          waits.recovered("reading " + ranges.get(0).getTopic(), 1);
        }
        since = -1;
        reported = false;
      } else if (since < 0) {
        since = now;
      } else if (!reported && now - since > STALL_NANOS) {
        reported = true;
        waits.waiting(
            "reading " + ranges.get(0).getTopic(),
            1,
            new IllegalStateException("no records for " + STALL_NANOS / 1_000_000_000L + " s"));
      }
    }
  }

  /**
   * Polls once, keeping only records inside the ranges; pauses partitions with full
   * buffers. @return records polled
   */
  private int fill(
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers,
      Map<TopicPartition, TopicRange> ranges) {
    List<TopicPartition> full = new ArrayList<>();
    List<TopicPartition> room = new ArrayList<>();
    buffers.forEach(
        (partition, buffer) ->
            (buffer.size() >= BUFFER_PER_PARTITION ? full : room).add(partition));
    consumer.pause(full);
    consumer.resume(room);
    int polled = 0;
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
      polled++;
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      if (record.offset() < ranges.get(partition).getEndOffset()) {
        buffers.get(partition).add(record);
      }
    }
    return polled;
  }

  /**
   * Runs a consumer call, and while the broker cannot be reached retries it with a growing pause.
   * The consumer keeps its position, so nothing is skipped or read twice when the broker is back.
   */
  private boolean retrying(BooleanSupplier call, BooleanSupplier stop) {
    int attempt = 0;
    while (true) {
      try {
        boolean result = call.getAsBoolean();
        if (attempt > 0) {
          waits.recovered("reading " + ranges.get(0).getTopic(), attempt);
        }
        return result;
      } catch (RetriableException e) {
        if (stop.getAsBoolean()) {
          return true;
        }
        attempt++;
        waits.waiting("reading " + ranges.get(0).getTopic(), attempt, e);
        try {
          Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(attempt, 6)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return true;
        }
      }
    }
  }

  /** Past the range's end (transaction markers and aborted records take offsets too). */
  private boolean exhausted(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, TopicRange range) {
    return consumer.position(partition) >= range.getEndOffset();
  }
}
