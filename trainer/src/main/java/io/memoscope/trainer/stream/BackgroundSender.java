package io.memoscope.trainer.stream;

import io.memoscope.protocol.kafka.AccessFailures;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records through a producer from a thread of its own, in the order they were handed over.
 * {@code KafkaProducer.send} blocks while the broker is away (it waits for metadata), and the
 * training thread must never wait on Kafka: it hands its events here and goes on. A long outage
 * only fills the queue; past {@code capacity} records the caller waits after all, which bounds
 * memory.
 *
 * <p>Every record that is not written is counted in the run's {@link BackgroundFailures}: one the
 * broker did not take (the send's callback; logged when its cause differs from the last one's, so
 * an outage gives a line, not thousands), and one the sending itself threw on. The latter, whatever
 * it is ({@link Error}s included), is the thread's failure and ends the run; the thread goes on
 * sending, so that the run's failed RUN_FINISHED event still goes out.
 */
final class BackgroundSender<K, V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundSender.class);
  private static final Object END = new Object();

  private final Producer<K, V> producer;
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final BackgroundFailures failures;
  private volatile String lastFailure;
  private boolean closed;

  BackgroundSender(
      Producer<K, V> producer, int capacity, String name, BackgroundFailures failures) {
    this.producer = producer;
    this.failures = failures;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.thread = new Thread(this::drain, name);
    thread.setDaemon(true);
    thread.start();
  }

  void send(ProducerRecord<K, V> record) {
    try {
      queue.put(record);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while handing over a record for " + record.topic(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private void drain() {
    try {
      for (Object next = queue.take(); next != END; next = queue.take()) {
        ProducerRecord<K, V> record = (ProducerRecord<K, V>) next;
        try {
          producer.send(
              record,
              (metadata, error) -> {
                if (error != null) {
                  notWritten(record, error);
                  if (AccessFailures.find(error).isPresent()) {
                    // Unlike an outage, a refusal does not pass: the run's events would all be
                    // lost while it "succeeds".
                    failures.report(thread.getName(), error);
                  }
                }
              });
        } catch (org.apache.kafka.common.errors.InterruptException e) {
          throw e;
        } catch (Throwable e) {
          notWritten(record, e);
          failures.report(thread.getName(), e);
        }
      }
    } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
      // closeWithin gave up on a send that was waiting for the broker.
      Thread.currentThread().interrupt();
    }
  }

  private void notWritten(ProducerRecord<K, V> record, Throwable error) {
    failures.countPublishFailure();
    String cause = error.getClass().getName() + ": " + error.getMessage();
    if (!cause.equals(lastFailure)) {
      lastFailure = cause;
      log.warn(
          "could not publish to {}: {} ({} record(s) not published so far)",
          record.topic(),
          cause,
          failures.publishFailures());
    }
  }

  /**
   * Sends what is queued, waits (up to 30 minutes: an outage is waited out) for the broker to
   * confirm it, and closes.
   */
  @Override
  public void close() {
    closeWithin(Duration.ofMinutes(30));
  }

  /**
   * As {@link #close()}, but gives up after {@code wait}: for a run that failed, often because
   * Kafka cannot be reached, where waiting out an outage would only keep the user waiting. What is
   * then still queued or unconfirmed is dropped, and one line says so. Closing again does nothing.
   */
  synchronized void closeWithin(Duration wait) {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      queue.put(END);
      thread.join(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn(
          "{}: {} record(s) not handed to Kafka within {} s and dropped",
          thread.getName(),
          queue.size(),
          wait.toSeconds());
      thread.interrupt();
    }
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }
}
