package io.memoscope.cli;

import io.memoscope.metrics.RunHistory;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.RunManifestDeserializer;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The runs as Kafka alone records them, so {@code replay}, {@code runs} and {@code probe} work on
 * any machine that reaches the cluster: each run's manifest from {@code memoscope.runs} (compacted,
 * key = run id) and how it ended from {@code memoscope.events}. No local file is read. A read that
 * makes no progress for the timeout fails with a {@link TimeoutException} naming the topic and the
 * bootstrap servers.
 */
final class RunRecords {

  private final Map<String, Object> clientConfig;
  private final Duration timeout;

  RunRecords(Map<String, Object> clientConfig, Duration timeout) {
    this.clientConfig = Map.copyOf(clientConfig);
    this.timeout = timeout;
  }

  /** The bootstrap servers read from, for messages. */
  String bootstrap() {
    return String.valueOf(clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
  }

  /**
   * Every run in {@code memoscope.runs} by id: the newest record of each, none where a tombstone
   * deleted it.
   */
  SortedMap<String, RunManifest> manifests() {
    SortedMap<String, RunManifest> runs = new TreeMap<>();
    RunManifestDeserializer deserializer = new RunManifestDeserializer();
    readToEnd(
        Topics.RUNS,
        record -> {
          if (record.value() == null) {
            runs.remove(record.key());
          } else {
            runs.put(record.key(), deserializer.deserialize(Topics.RUNS, record.value()));
          }
        });
    return runs;
  }

  Optional<RunManifest> manifest(String runId) {
    return Optional.ofNullable(manifests().get(runId));
  }

  /** How one run ended, from its own events only (its partition of {@code memoscope.events}). */
  RunOutcome outcome(String runId) {
    try {
      return RunOutcome.of(RunHistory.read(clientConfig, runId, timeout));
    } catch (TimeoutException e) {
      throw timedOut(Topics.EVENTS, e);
    }
  }

  /** How each of {@code runIds} ended, in one pass over {@code memoscope.events}. */
  Map<String, RunOutcome> outcomes(Set<String> runIds) {
    Map<String, RunOutcome.Tally> tallies = new HashMap<>();
    TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
    readToEnd(
        Topics.EVENTS,
        record -> {
          if (record.value() == null || !runIds.contains(record.key())) {
            return;
          }
          TrainingEvent event;
          try {
            event = deserializer.deserialize(Topics.EVENTS, record.value());
          } catch (SerializationException e) {
            return; // skipped, as the metrics service skips it
          }
          tallies.computeIfAbsent(record.key(), id -> new RunOutcome.Tally()).accept(event);
        });
    Map<String, RunOutcome> outcomes = new TreeMap<>();
    runIds.forEach(
        id ->
            outcomes.put(
                id, tallies.containsKey(id) ? tallies.get(id).outcome() : RunOutcome.NOT_FINISHED));
    return outcomes;
  }

  /**
   * Hands every record of {@code topic} up to its end offsets of now to {@code visitor}, in offset
   * order per partition. A missing topic has no records (and is not created: a topic made by a
   * reader would lack the spec's compaction or retention).
   */
  private void readToEnd(String topic, Consumer<ConsumerRecord<String, byte[]>> visitor) {
    try {
      readToEndOnce(topic, visitor);
    } catch (TimeoutException e) {
      throw timedOut(topic, e);
    }
  }

  /**
   * Kafka's own message names neither the topic nor the cluster, which is what the user can check.
   */
  private TimeoutException timedOut(String topic, TimeoutException e) {
    return new TimeoutException(
        "reading "
            + topic
            + " at "
            + bootstrap()
            + ": no answer within "
            + timeout.toMillis()
            + " ms (is the broker reachable? a longer --timeout?): "
            + e.getMessage(),
        e);
  }

  private void readToEndOnce(String topic, Consumer<ConsumerRecord<String, byte[]>> visitor) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        return;
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      // The timeout bounds a stall, not the whole read: a long history may take longer to read.
      long lastProgress = System.nanoTime();
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
          throw new TimeoutException("no records before the topic's end");
        }
        for (ConsumerRecord<String, byte[]> record : records) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            visitor.accept(record);
          }
        }
      }
    }
  }
}
