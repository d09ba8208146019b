package io.memoscope.cli;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A run's training events as a consumer of {@code memoscope.events} sees them, with the duplicates
 * that resumes re-emit dropped by (run id, sequence), as the metrics service does.
 */
final class RunEvents {

  private RunEvents() {}

  /** The run's events in sequence order, each sequence once (the last copy read wins). */
  static List<TrainingEvent> of(String bootstrap, String runId) {
    return of(Map.of("bootstrap.servers", bootstrap), runId);
  }

  /** The same, as a client with {@code clientConfig} (a secured cluster's, say). */
  static List<TrainingEvent> of(Map<String, Object> clientConfig, String runId) {
    TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
    Map<Long, TrainingEvent> bySequence = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            clientConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.EVENTS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                record -> {
                  TrainingEvent event = deserializer.deserialize(Topics.EVENTS, record.value());
                  if (event.getRunId().equals(runId)) {
                    bySequence.put(event.getSequence(), event);
                  }
                });
      }
    }
    return List.copyOf(bySequence.values());
  }

  static List<TrainingEvent> ofKind(List<TrainingEvent> events, EventKind kind) {
    return events.stream().filter(e -> e.getKind() == kind).toList();
  }
}
