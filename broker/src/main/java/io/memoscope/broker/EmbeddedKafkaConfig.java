package io.memoscope.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to run an {@link EmbeddedKafka}. Start from {@link #defaults()} and change what you need.
 *
 * @param host address the broker binds to and advertises to clients
 * @param port client port; 0 picks a free one (a restart may then get another one)
 * @param dataDir with {@code persistent}: the broker's storage, formatted on first use and reused
 *     after; without: where to create a temporary storage directory ({@code null} for the system's
 *     temporary directory)
 * @param persistent whether the storage outlives {@link EmbeddedKafka#close()}
 * @param extraBrokerProperties Kafka broker properties laid over ours (tuning, not listeners)
 * @param startTimeout how long {@link EmbeddedKafka#start()} may take before it gives up
 * @param security {@code null} for a PLAINTEXT client listener without authentication; else a
 *     SASL_SSL one with SCRAM users and ACLs (for tests and trials)
 */
public record EmbeddedKafkaConfig(
    String host,
    int port,
    Path dataDir,
    boolean persistent,
    Map<String, String> extraBrokerProperties,
    Duration startTimeout,
    Security security) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Seconds, so the CLI can name the default in a flag. */
  public static final int DEFAULT_START_TIMEOUT_SECONDS = 60;

  public static final Duration DEFAULT_START_TIMEOUT =
      Duration.ofSeconds(DEFAULT_START_TIMEOUT_SECONDS);

  public EmbeddedKafkaConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    // Clients must be able to connect to the address the broker advertises.
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      throw new IllegalArgumentException(
          "host "
              + host
              + " is a wildcard address clients cannot connect to;"
              + " give a concrete address or host name");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
    }
    if (persistent && dataDir == null) {
      throw new IllegalArgumentException("a persistent broker needs a data directory");
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, not " + startTimeout);
    }
    extraBrokerProperties = Map.copyOf(new TreeMap<>(extraBrokerProperties));
  }

  /** Without security. */
  public EmbeddedKafkaConfig(
      String host,
      int port,
      Path dataDir,
      boolean persistent,
      Map<String, String> extraBrokerProperties,
      Duration startTimeout) {
    this(host, port, dataDir, persistent, extraBrokerProperties, startTimeout, null);
  }

  /** 127.0.0.1, a free port, temporary storage, no extra properties, 60 s to start, PLAINTEXT. */
  public static EmbeddedKafkaConfig defaults() {
    return new EmbeddedKafkaConfig(DEFAULT_HOST, 0, null, false, Map.of(), DEFAULT_START_TIMEOUT);
  }

  /** A SASL_SSL client listener with SCRAM users and ACLs, or PLAINTEXT again with {@code null}. */
  public EmbeddedKafkaConfig withSecurity(Security newSecurity) {
    return new EmbeddedKafkaConfig(
        host, port, dataDir, persistent, extraBrokerProperties, startTimeout, newSecurity);
  }

  public EmbeddedKafkaConfig withHost(String newHost) {
    return new EmbeddedKafkaConfig(
        newHost, port, dataDir, persistent, extraBrokerProperties, startTimeout, security);
  }

  public EmbeddedKafkaConfig withPort(int newPort) {
    return new EmbeddedKafkaConfig(
        host, newPort, dataDir, persistent, extraBrokerProperties, startTimeout, security);
  }

  /** Storage in {@code dir}, kept across restarts. */
  public EmbeddedKafkaConfig withPersistentDataDir(Path dir) {
    return new EmbeddedKafkaConfig(
        host, port, dir, true, extraBrokerProperties, startTimeout, security);
  }

  /** Temporary storage created inside {@code parent} and deleted on close. */
  public EmbeddedKafkaConfig withTemporaryDataDirIn(Path parent) {
    return new EmbeddedKafkaConfig(
        host, port, parent, false, extraBrokerProperties, startTimeout, security);
  }

  public EmbeddedKafkaConfig withBrokerProperty(String key, String value) {
    Map<String, String> merged = new TreeMap<>(extraBrokerProperties);
    merged.put(key, value);
    return new EmbeddedKafkaConfig(host, port, dataDir, persistent, merged, startTimeout, security);
  }

  public EmbeddedKafkaConfig withStartTimeout(Duration newStartTimeout) {
    return new EmbeddedKafkaConfig(
        host, port, dataDir, persistent, extraBrokerProperties, newStartTimeout, security);
  }
}
