package io.memoscope.protocol.kafka;

/**
 * A Kafka call that failed, timed out or was interrupted ({@link KafkaFutures#get}): the message is
 * one line saying what was being done and why it did not work.
 */
public final class KafkaCallException extends IllegalStateException {

  KafkaCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
