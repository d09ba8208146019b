package io.memoscope.metrics;

import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the metrics service is told, as one immutable value: the CLI builds it from flags,
 * tests and the benchmark build it directly.
 *
 * @param kafka how to reach the cluster
 * @param applicationId Kafka Streams application id: consumer group and prefix of the changelog
 *     topics. Instances with the same id share (and rebuild) the same state.
 * @param stateDir Kafka Streams state directory (checkpoint files; the stores themselves are in
 *     memory)
 * @param bind address the HTTP server listens on
 * @param port HTTP port; 0 picks a free one
 * @param retention how long a finished run stays on /metrics after its RUN_FINISHED event
 * @param commitInterval how often processing progress is committed (and store caches flushed)
 * @param maintenanceInterval how often expiry and late manifests are checked
 * @param historyTimeout how long /api/runs/{id} may spend reading a run's history from the events
 *     topic
 * @param streamThreads Kafka Streams threads
 * @param topics replication and retention of the topics the service creates (and of Kafka Streams'
 *     internal topics)
 */
public record MetricsConfig(
    KafkaConnection kafka,
    String applicationId,
    Path stateDir,
    String bind,
    int port,
    Duration retention,
    Duration commitInterval,
    Duration maintenanceInterval,
    Duration historyTimeout,
    int streamThreads,
    TopicSettings topics) {

  public static final String DEFAULT_APPLICATION_ID = "memoscope-metrics";
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 9404;
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  public MetricsConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(bind, "bind");
    if (applicationId == null || applicationId.isBlank()) {
      throw new IllegalArgumentException("application id must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
    }
    requirePositive("retention", retention);
    requirePositive("commit interval", commitInterval);
    requirePositive("maintenance interval", maintenanceInterval);
    requirePositive("history timeout", historyTimeout);
    Objects.requireNonNull(topics, "topics");
    if (streamThreads < 1) {
      throw new IllegalArgumentException("stream threads must be at least 1, not " + streamThreads);
    }
  }

  /** Defaults: id memoscope-metrics, 127.0.0.1:9404, 1 h retention, 1 s commits, one thread. */
  public static MetricsConfig defaults(KafkaConnection kafka, Path stateDir) {
    return new MetricsConfig(
        kafka,
        DEFAULT_APPLICATION_ID,
        stateDir,
        DEFAULT_BIND,
        DEFAULT_PORT,
        DEFAULT_RETENTION,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        1,
        TopicSettings.DEFAULTS);
  }

  public MetricsConfig withApplicationId(String id) {
    return new MetricsConfig(
        kafka,
        id,
        stateDir,
        bind,
        port,
        retention,
        commitInterval,
        maintenanceInterval,
        historyTimeout,
        streamThreads,
        topics);
  }

  public MetricsConfig withStateDir(Path dir) {
    return new MetricsConfig(
        kafka,
        applicationId,
        dir,
        bind,
        port,
        retention,
        commitInterval,
        maintenanceInterval,
        historyTimeout,
        streamThreads,
        topics);
  }

  public MetricsConfig withHttp(String newBind, int newPort) {
    return new MetricsConfig(
        kafka,
        applicationId,
        stateDir,
        newBind,
        newPort,
        retention,
        commitInterval,
        maintenanceInterval,
        historyTimeout,
        streamThreads,
        topics);
  }

  public MetricsConfig withRetention(Duration newRetention) {
    return new MetricsConfig(
        kafka,
        applicationId,
        stateDir,
        bind,
        port,
        newRetention,
        commitInterval,
        maintenanceInterval,
        historyTimeout,
        streamThreads,
        topics);
  }

  public MetricsConfig withTopics(TopicSettings newTopics) {
    return new MetricsConfig(
        kafka,
        applicationId,
        stateDir,
        bind,
        port,
        retention,
        commitInterval,
        maintenanceInterval,
        historyTimeout,
        streamThreads,
        newTopics);
  }

  /** The Kafka Streams properties; {@code live} is what the invalid-record handler counts in. */
  public Properties streamsProperties(LiveRuns live) {
    Properties props = new Properties();
    props.putAll(kafka.clientConfig());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, InvalidRecords.class);
    props.put(InvalidRecords.LIVE_RUNS_CONFIG, live);
    topics
        .replicationFactor()
        .ifPresent(factor -> props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) factor));
    // Pick up new *.dlq topics within seconds rather than the default five minutes.
    props.put(StreamsConfig.consumerPrefix("metadata.max.age.ms"), 10_000);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    return props;
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
  }

  /** A plain client config (for the history reader and the readiness check). */
  public Map<String, Object> clientConfig() {
    return new HashMap<>(kafka.clientConfig());
  }
}
