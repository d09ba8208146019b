package io.memoscope.protocol.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer settings memoscope relies on: no record is acknowledged before every in-sync replica
 * has it, and none is lost, duplicated or reordered by a retry.
 */
public final class ProducerSettings {

  /** How long a send may retry before its callback reports failure. */
  public static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);

  private ProducerSettings() {}

  /**
   * A fresh, mutable copy of {@code clientConfig} with the safe settings laid over it; add
   * serializers (and a {@code transactional.id}, if wanted) to the result.
   */
  public static Map<String, Object> safe(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // With several requests in flight, a batch that fails right after a topic is created
    // (NOT_LEADER_OR_FOLLOWER) makes the ones behind it fail with OUT_OF_ORDER_SEQUENCE_NUMBER
    // and their records are lost (KAFKA-15591). One request in flight removed the loss.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
    return config;
  }
}
