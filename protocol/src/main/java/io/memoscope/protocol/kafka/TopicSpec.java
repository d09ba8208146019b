package io.memoscope.protocol.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How one memoscope topic is made: its name, partition count and how long it keeps records. {@link
 * TopicSpecs} has one for every topic; each service creates topics only through them.
 *
 * @param name the topic
 * @param partitions partitions it is created with
 * @param kind what it keeps
 */
public record TopicSpec(String name, int partitions, Kind kind) {

  /** What a topic keeps. */
  public enum Kind {
    /**
     * Every record, forever unless {@link TopicSettings#retention()} says otherwise: the topics a
     * run is replayed from (samples, events, dead letters).
     */
    KEPT,
    /** The newest record per key, never deleted by age: the registries (runs, data sets). */
    COMPACTED
  }

  /** The {@code min.insync.replicas} memoscope sets on a topic with at least 3 replicas. */
  public static final int MIN_IN_SYNC_REPLICAS = 2;

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
  }

  /** The topic configs it is created with under {@code settings}. */
  public Map<String, String> configs(TopicSettings settings) {
    Map<String, String> configs = new LinkedHashMap<>();
    if (kind == Kind.COMPACTED) {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    } else {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
      configs.put(TopicConfig.RETENTION_MS_CONFIG, settings.retentionMs());
      configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    }
    // With 3 replicas or more, an acknowledged write survives losing any one broker; with the
    // cluster's replication factor the cluster's own min.insync.replicas applies.
    settings
        .replicationFactor()
        .filter(factor -> factor >= 3)
        .ifPresent(
            factor ->
                configs.put(
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    Integer.toString(MIN_IN_SYNC_REPLICAS)));
    return configs;
  }

  /** The request to create it: replication from {@code settings}, else the cluster's default. */
  public NewTopic newTopic(TopicSettings settings) {
    return new NewTopic(name, Optional.of(partitions), settings.replicationFactor())
        .configs(configs(settings));
  }

  /**
   * Where an existing topic's configs contradict this spec, one sentence each naming the topic, the
   * setting and what it costs; empty when it keeps what memoscope relies on. What makes the topic
   * unusable is {@link #breaksReplay(Config)}'s, not listed here.
   */
  public List<String> contradictions(Config existing, TopicSettings settings) {
    List<String> found = new ArrayList<>();
    String policy = valueOf(existing, TopicConfig.CLEANUP_POLICY_CONFIG);
    if (kind == Kind.COMPACTED) {
      if (policy == null || !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        found.add(
            name
                + " has cleanup.policy="
                + policy
                + ", not compact: only the newest entry per key should be"
                + " kept, and older ones are never needed");
      }
      if (policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
        found.add(
            name
                + " has cleanup.policy="
                + policy
                + ": its entries are deleted by age, so runs or data sets"
                + " registered there disappear (set cleanup.policy=compact)");
      }
      return found;
    }
    String retention = valueOf(existing, TopicConfig.RETENTION_MS_CONFIG);
    if (retention != null && !retention.equals(settings.retentionMs())) {
      found.add(
          name
              + " has retention.ms="
              + retention
              + ", not "
              + settings.retentionMs()
              + ": "
              + (retention.equals("-1")
                  ? "it keeps records longer than asked"
                  : "records older than that are deleted and runs trained on them can no longer be replayed"));
    }
    String bytes = valueOf(existing, TopicConfig.RETENTION_BYTES_CONFIG);
    if (bytes != null && !bytes.equals("-1")) {
      found.add(
          name
              + " has retention.bytes="
              + bytes
              + ": once it is larger its oldest records are deleted and"
              + " runs trained on them can no longer be replayed");
    }
    return found;
  }

  /**
   * Why memoscope must not use the existing topic at all, if it must not: a topic runs are replayed
   * from that is compacted, where Kafka may drop any record whose key repeats (every event of a run
   * has the run's key) at any time.
   */
  public Optional<String> breaksReplay(Config existing) {
    String policy = valueOf(existing, TopicConfig.CLEANUP_POLICY_CONFIG);
    if (kind == Kind.KEPT
        && policy != null
        && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      return Optional.of(
          name
              + " has cleanup.policy="
              + policy
              + ": compaction keeps one record per key, and runs"
              + " are replayed from every record; memoscope does not use it (set cleanup.policy=delete)");
    }
    return Optional.empty();
  }

  private static String valueOf(Config config, String key) {
    ConfigEntry entry = config.get(key);
    return entry == null ? null : entry.value();
  }
}
