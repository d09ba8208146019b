package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records of a run's ranges that are not trained on go to {@code <topic>.dlq}, key and value as
 * they were, with why and where in headers: {@link #PROBLEM} (a code from {@link Rejection}, for
 * counting), {@link #REASON} (one line for a person), {@link #TOPIC}, {@link #PARTITION} and {@link
 * #OFFSET} (decimal text). A bad record never stops the run. Every epoch reads the range again, so
 * a bad record is sent once per run, at its first sighting.
 *
 * <p>A dead letter counts ({@link #count()}, the DEAD_LETTER event) only once the broker has
 * acknowledged it. One that cannot be written, whether the broker refuses it (the send's callback)
 * or the sending throws (an {@link Error} included), would be lost, so it ends the run: it is
 * reported to the run's {@link BackgroundFailures} and counted there as a publish failure. The
 * records are decided {@link #rejected rejected} at once, which is what an epoch's sample count is
 * checked against.
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

  /** What {@link BackgroundFailures} calls the thread a lost dead letter fails. */
  static final String SENDER = "dead-letter sender";

  private final Producer<byte[], byte[]> producer;
  private final BackgroundFailures failures;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> rejectedPerTopic = new ConcurrentHashMap<>();
  private final AtomicLong written = new AtomicLong();
  private volatile Sighting sighting = (record, reason, total) -> {};

  /**
   * Hears of each dead letter the broker acknowledged, with the run's count so far (on a Kafka
   * thread).
   */
  @FunctionalInterface
  public interface Sighting {
    void deadLettered(ConsumerRecord<byte[], byte[]> record, String reason, long total);
  }

  public DeadLetters(Map<String, Object> clientConfig) {
    this(RunParts.KAFKA, clientConfig, new BackgroundFailures());
  }

  /**
   * With the producer from {@code parts}, and a dead letter that is lost reported to {@code
   * failures}.
   */
  DeadLetters(RunParts parts, Map<String, Object> clientConfig, BackgroundFailures failures) {
    this.failures = failures;
    this.producer =
        parts.producer(
            OutageProofProducers.config(clientConfig),
            new ByteArraySerializer(),
            new ByteArraySerializer());
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
    rejectedPerTopic.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
    String target = Topics.deadLetter(record.topic());
    try {
      producer.send(
          new ProducerRecord<>(target, null, record.key(), record.value(), headers),
          (metadata, error) -> {
            if (error == null) {
              sighting.deadLettered(record, reason, written.incrementAndGet());
            } else {
              lost(record, target, error);
            }
          });
    } catch (Throwable e) {
      lost(record, target, e);
      failures.throwIfAny();
    }
  }

  private void lost(ConsumerRecord<byte[], byte[]> record, String target, Throwable error) {
    failures.countPublishFailure();
    failures.report(
        SENDER
            + " ("
            + record.topic()
            + "-"
            + record.partition()
            + "@"
            + record.offset()
            + " to "
            + target
            + ")",
        error);
  }

  /**
   * Waits until every dead letter sent so far is acknowledged or lost (the end of a run: its
   * summary counts them).
   *
   * @throws BackgroundThreadException if one (or another of the run's background threads) failed
   */
  public void awaitWritten() {
    producer.flush();
    failures.throwIfAny();
  }

  /** Dead letters the broker has acknowledged so far. */
  public long count() {
    return written.get();
  }

  /**
   * Distinct records of {@code topic} rejected so far (dead letters sent, acknowledged or not yet).
   */
  public long rejected(String topic) {
    AtomicLong count = rejectedPerTopic.get(topic);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
