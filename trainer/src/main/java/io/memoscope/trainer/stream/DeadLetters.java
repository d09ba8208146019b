package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records that fail to decode go to {@code <topic>.dlq}, as they were, with why and where in
 * headers ({@code memoscope.reason}, {@code memoscope.topic}, {@code memoscope.partition},
 * {@code memoscope.offset}). They are counted and never stop the run.
 */
public final class DeadLetters implements AutoCloseable {

  public static final String REASON = "memoscope.reason";

  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicLong count = new AtomicLong();

  public DeadLetters(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // A broker outage mid-run is waited out: sends stay buffered instead of failing after minutes.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(30).toMillis());
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  void send(ConsumerRecord<byte[], byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add("memoscope.topic", record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add("memoscope.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add("memoscope.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    producer.send(new ProducerRecord<>(Topics.deadLetter(record.topic()), null, record.key(), record.value(), headers));
    count.incrementAndGet();
  }

  /** Dead-lettered records so far. */
  public long count() {
    return count.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
