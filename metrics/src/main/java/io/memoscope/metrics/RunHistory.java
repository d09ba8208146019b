package io.memoscope.metrics;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * A run's whole event history, read straight from {@code memoscope.events}: the source of truth, so
 * the full series need no second copy in the service's state. Only the run's own partition is read
 * (the producer's default partitioner puts key = run id there), without a consumer group, up to the
 * end offset of the moment of the request. Events are de-duplicated by sequence the way the live
 * service does it; records that do not decode are skipped.
 */
public final class RunHistory {

  private RunHistory() {}

  public static List<TrainingEvent> read(
      Map<String, Object> clientConfig, String run, Duration timeout) {
    Tail tail = new Tail(run);
    tail.advance(clientConfig, timeout);
    return tail.events();
  }

  /**
   * A run's history read incrementally: each {@link #advance} reads only the records appended to
   * the run's partition since the previous one, so a page that polls a run's series every few
   * seconds does not re-read the whole partition each time. It holds at most {@code maxEvents}
   * events, the newest: a run's history costs bounded memory however long the run is, and the
   * newest part is what a live view needs. Not thread-safe; callers lock it.
   */
  public static final class Tail {
    private final String run;
    private final byte[] key;
    private final int maxEvents;
    private final List<TrainingEvent> events = new ArrayList<>();
    private int partitions = -1;
    private long nextOffset;
    private long lastSequence = -1;
    private boolean truncated;

    public Tail(String run) {
      this(run, Integer.MAX_VALUE);
    }

    /**
     * @param maxEvents the most events kept; older ones are dropped (see {@link #truncated})
     */
    public Tail(String run, int maxEvents) {
      if (maxEvents < 1) {
        throw new IllegalArgumentException("maxEvents must be positive, not " + maxEvents);
      }
      this.run = run;
      this.key = run.getBytes(StandardCharsets.UTF_8);
      this.maxEvents = maxEvents;
    }

    /** Whether the oldest events were dropped to keep at most {@code maxEvents}. */
    public boolean truncated() {
      return truncated;
    }

    /** Every event read so far, in sequence order, de-duplicated by sequence. */
    public List<TrainingEvent> events() {
      return events;
    }

    /** The highest sequence read so far, -1 before any. */
    public long lastSequence() {
      return lastSequence;
    }

    /**
     * Reads the run's partition from where the previous call stopped up to its current end offset.
     */
    public void advance(Map<String, Object> clientConfig, Duration timeout) {
      Map<String, Object> config = new HashMap<>(clientConfig);
      config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
      long deadline = System.nanoTime() + timeout.toNanos();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVENTS, timeout);
        if (infos == null || infos.isEmpty()) {
          return;
        }
        if (infos.size() != partitions) {
          // first read, or the topic got more partitions: the run's records may be elsewhere now
          partitions = infos.size();
          nextOffset = 0;
        }
        TopicPartition partition =
            new TopicPartition(Topics.EVENTS, Utils.toPositive(Utils.murmur2(key)) % partitions);
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
                "reading the history of run " + run + " took longer than " + timeout);
          }
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.offset() >= end
                || record.key() == null
                || !Arrays.equals(record.key(), key)) {
              continue;
            }
            TrainingEvent event;
            try {
              event = deserializer.deserialize(Topics.EVENTS, record.value());
            } catch (SerializationException e) {
              continue;
            }
            if (event != null && event.getSequence() > lastSequence) {
              lastSequence = event.getSequence();
              events.add(event);
            }
          }
          dropOldest();
        }
        nextOffset = Math.max(nextOffset, end);
      }
    }

    private void dropOldest() {
      int excess = events.size() - maxEvents;
      if (excess > 0) {
        events.subList(0, excess).clear();
        truncated = true;
      }
    }
  }
}
