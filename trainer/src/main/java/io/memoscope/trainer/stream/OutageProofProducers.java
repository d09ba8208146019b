package io.memoscope.trainer.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer settings of what a run writes while it trains (events, per-sample results, dead
 * letters): every write acknowledged by all in-sync replicas, and a broker outage waited out, with
 * sends staying buffered instead of failing after Kafka's default two minutes.
 */
final class OutageProofProducers {

  private static final Duration OUTAGE = Duration.ofMinutes(30);

  private OutageProofProducers() {}

  /** {@code clientConfig} with acks=all and 30-minute delivery and blocking limits. */
  static Map<String, Object> config(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) OUTAGE.toMillis());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, OUTAGE.toMillis());
    return config;
  }
}
