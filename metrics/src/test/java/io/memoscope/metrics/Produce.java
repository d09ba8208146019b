package io.memoscope.metrics;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records written to a real broker and acknowledged before the call returns, for tests. */
final class Produce {

  private Produce() {}

  /** The events to {@code memoscope.events}, keyed by run, in order. */
  static void events(String bootstrapServers, List<TrainingEvent> events) {
    Map<String, Object> config =
        ProducerSettings.safe(Map.of("bootstrap.servers", bootstrapServers));
    try (KafkaProducer<String, TrainingEvent> producer =
        new KafkaProducer<>(
            config, new StringSerializer(), MemoscopeSerdes.trainingEvent().serializer())) {
      for (TrainingEvent e : events) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, e.getRunId(), e)).get();
      }
    } catch (Exception e) {
      throw new AssertionError("producing events failed", e);
    }
  }

  /**
   * The events to {@code memoscope.events}, keyed by run, sent in batches: for thousands of events.
   */
  static void eventsInBulk(String bootstrapServers, List<TrainingEvent> events) {
    Map<String, Object> config =
        ProducerSettings.safe(Map.of("bootstrap.servers", bootstrapServers));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (KafkaProducer<String, TrainingEvent> producer =
        new KafkaProducer<>(
            config, new StringSerializer(), MemoscopeSerdes.trainingEvent().serializer())) {
      List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
      for (TrainingEvent e : events) {
        acks.add(producer.send(new ProducerRecord<>(Topics.EVENTS, e.getRunId(), e)));
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
    } catch (Exception e) {
      throw new AssertionError("producing events failed", e);
    }
  }

  static <V> void record(
      String bootstrapServers, String topic, String key, V value, Serializer<V> serializer) {
    Map<String, Object> config =
        ProducerSettings.safe(Map.of("bootstrap.servers", bootstrapServers));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("producing to " + topic + " failed", e);
    }
  }
}
