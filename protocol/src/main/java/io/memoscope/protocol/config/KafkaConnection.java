package io.memoscope.protocol.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a memoscope service reaches a Kafka cluster: the bootstrap address plus any client properties
 * the cluster needs (SASL, TLS, timeouts), passed to Kafka as they are.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param clientProperties extra Kafka client properties; {@code bootstrap.servers} here is ignored
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {

  /**
   * The port memoscope's own broker listens on unless told otherwise, so clients find it by
   * default.
   */
  public static final int DEFAULT_PORT = 9092;

  public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:" + DEFAULT_PORT;

  /**
   * How long a client waits for the cluster before it gives up (seconds, so the CLI can name it in
   * a flag default).
   */
  public static final int DEFAULT_TIMEOUT_SECONDS = 15;

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);

  public KafkaConnection {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ConfigException("bootstrap: no Kafka bootstrap address given");
    }
    clientProperties = Map.copyOf(new TreeMap<>(clientProperties));
  }

  /**
   * Layers Kafka properties with memoscope's precedence: those of the settings file and
   * environment, then those given as flags.
   */
  public static KafkaConnection of(
      String bootstrapServers,
      Map<String, String> configuredProperties,
      Map<String, String> flagProperties) {
    Map<String, String> merged = new TreeMap<>(configuredProperties);
    merged.putAll(flagProperties);
    return new KafkaConnection(bootstrapServers, merged);
  }

  /** A fresh, mutable client config for a producer, consumer or admin client to add to. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put("bootstrap.servers", bootstrapServers);
    return config;
  }
}
