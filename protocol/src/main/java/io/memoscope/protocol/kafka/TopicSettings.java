package io.memoscope.protocol.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user may choose about the topics memoscope creates; everything else is fixed by {@link
 * TopicSpecs}.
 *
 * @param replicationFactor replicas of each topic created; empty: the cluster's {@code
 *     default.replication.factor}
 * @param retention how long sample, event and dead-letter topics keep records; empty: forever
 *     ({@code retention.ms=-1}), which is what replaying a run needs
 */
public record TopicSettings(Optional<Short> replicationFactor, Optional<Duration> retention) {

  /** The cluster's replication factor, records kept forever. */
  public static final TopicSettings DEFAULTS =
      new TopicSettings(Optional.empty(), Optional.empty());

  public TopicSettings {
    Objects.requireNonNull(replicationFactor, "replicationFactor");
    Objects.requireNonNull(retention, "retention");
    replicationFactor.ifPresent(
        factor -> {
          if (factor < 1) {
            throw new IllegalArgumentException(
                "replication factor must be at least 1, not " + factor);
          }
        });
    retention.ifPresent(
        duration -> {
          if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("retention must be positive, not " + duration);
          }
        });
  }

  public TopicSettings withReplicationFactor(short factor) {
    return new TopicSettings(Optional.of(factor), retention);
  }

  public TopicSettings withRetention(Duration duration) {
    return new TopicSettings(replicationFactor, Optional.of(duration));
  }

  /** The {@code retention.ms} value of kept topics: -1 (forever) unless a retention is set. */
  public String retentionMs() {
    return retention.map(duration -> Long.toString(duration.toMillis())).orElse("-1");
  }
}
