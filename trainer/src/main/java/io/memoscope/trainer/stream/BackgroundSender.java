package io.memoscope.trainer.stream;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records through a producer from a thread of its own, in the order they were handed over.
 * {@code KafkaProducer.send} blocks while the broker is away (it waits for metadata), and the
 * training thread must never wait on Kafka: it hands its events here and goes on. A long outage
 * only fills the queue; past {@code capacity} records the caller waits after all, which bounds memory.
 */
final class BackgroundSender<K, V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundSender.class);
  private static final Object END = new Object();

  private final Producer<K, V> producer;
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private volatile boolean failureLogged;

  BackgroundSender(Producer<K, V> producer, int capacity, String name) {
    this.producer = producer;
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
      throw new IllegalStateException("interrupted while handing over a record for " + record.topic(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private void drain() {
    try {
      for (Object next = queue.take(); next != END; next = queue.take()) {
        ProducerRecord<K, V> record = (ProducerRecord<K, V>) next;
        producer.send(record, (metadata, error) -> {
          if (error != null && !failureLogged) {
            failureLogged = true;
            log.warn("could not publish to {}: {}", record.topic(), error.getMessage());
          }
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends what is queued, waits for the broker to confirm it, and closes the producer. */
  @Override
  public void close() {
    try {
      queue.put(END);
      thread.join(TimeUnit.MINUTES.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close();
    }
  }
}
