package io.memoscope.cli;

import io.memoscope.protocol.config.KafkaConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Kafka settings every client command shares. Extra client properties (SASL, TLS, …) come from
 * {@code -X key=value} flags, {@code kafka.*} keys in the settings file and {@code
 * MEMOSCOPE_KAFKA_*} variables, flags winning.
 */
final class KafkaOptions {

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT[,…]",
      defaultValue = KafkaConnection.DEFAULT_BOOTSTRAP,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "Extra Kafka client property, repeatable (e.g. -X security.protocol=SASL_SSL).")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = KafkaConnection.DEFAULT_TIMEOUT_SECONDS + "s",
      converter = DurationConverter.class,
      description =
          "How long to wait for the cluster before giving up (e.g. 500ms, 15s, 2m; default: ${DEFAULT-VALUE}).")
  Duration timeout;

  KafkaConnection connection(ConfigSources sources) {
    return KafkaConnection.of(bootstrap, sources.kafkaProperties(), properties);
  }

  /**
   * Client config with this command's timeout applied, so an unreachable broker fails fast instead
   * of hanging.
   */
  Map<String, Object> adminConfig(ConfigSources sources) {
    Map<String, Object> config = connection(sources).clientConfig();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.putIfAbsent("request.timeout.ms", millis);
    config.putIfAbsent("default.api.timeout.ms", millis);
    return config;
  }
}
