package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records of a run's ranges that are not trained on go to {@code <topic>.dlq}, key and value as
 * they were, with why and where in headers: {@link #PROBLEM} (a code from {@link Rejection}, for
 * counting), {@link #REASON} (one line for a person), {@link #TOPIC}, {@link #PARTITION} and
 * {@link #OFFSET} (decimal text). They are counted and never stop the run. Every epoch reads the
 * range again, so a bad record is sent and counted once per run, at its first sighting.
 */
public final class DeadLetters implements AutoCloseable {

  /** Header: the {@link Rejection} code, e.g. {@code KEY_MISMATCH}. */
  public static final String PROBLEM = "memoscope.problem";
  /** Header: what is wrong, one line of UTF-8 text. */
  public static final String REASON = "memoscope.reason";
  /** Header: the topic the record was read from. */
  public static final String TOPIC = "memoscope.topic";
  /** Header: its partition, decimal. */
  public static final String PARTITION = "memoscope.partition";
  /** Header: its offset in that partition, decimal. */
  public static final String OFFSET = "memoscope.offset";

  private final KafkaProducer<byte[], byte[]> producer;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> perTopic = new ConcurrentHashMap<>();
  private volatile Sighting sighting = (record, reason, total) -> {};

  /** Hears of each newly dead-lettered record, with the run's count so far. */
  @FunctionalInterface
  public interface Sighting {
    void deadLettered(ConsumerRecord<byte[], byte[]> record, String reason, long total);
  }

  public DeadLetters(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // A broker outage mid-run is waited out: sends stay buffered instead of failing after minutes.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(30).toMillis());
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public DeadLetters reportingTo(Sighting listener) {
    this.sighting = listener;
    return this;
  }

  void send(ConsumerRecord<byte[], byte[]> record, Rejection problem, String reason) {
    if (!seen.add(record.topic() + "/" + record.partition() + "/" + record.offset())) {
      return;
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(PROBLEM, problem.name().getBytes(StandardCharsets.UTF_8));
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    producer.send(new ProducerRecord<>(Topics.deadLetter(record.topic()), null, record.key(), record.value(), headers));
    perTopic.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
    sighting.deadLettered(record, reason, count());
  }

  /** Distinct records dead-lettered so far. */
  public long count() {
    return seen.size();
  }

  /** Distinct records of {@code topic} dead-lettered so far. */
  public long count(String topic) {
    AtomicLong count = perTopic.get(topic);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
