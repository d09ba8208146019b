package io.memoscope.protocol.kafka;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicSpec.Kind;

/**
 * The one place where memoscope's topics are specified: every service creates the topics it needs
 * from these (names from {@link Topics}), so whichever starts first makes them the same way.
 *
 * <p>A run is replayed from its sample topics and recorded in {@code memoscope.events}: those and
 * their dead-letter topics keep every record forever unless a retention is configured ({@link
 * TopicSettings}). {@code memoscope.runs} and {@code memoscope.datasets} are compacted registries,
 * never deleted by age. Replication is the cluster's default unless configured.
 */
public final class TopicSpecs {

  /** Partitions of a sample topic unless its producer chooses otherwise. */
  public static final int DEFAULT_SAMPLE_PARTITIONS = 1;

  private TopicSpecs() {}

  /** {@code samples.<dataset>.<split>}: kept. */
  public static TopicSpec samples(String dataset, Split split, int partitions) {
    return new TopicSpec(Topics.samples(dataset, split), partitions, Kind.KEPT);
  }

  /** {@code <topic>.dlq}, one partition: kept, since it explains a run's missing records. */
  public static TopicSpec deadLetter(String topic) {
    return new TopicSpec(Topics.deadLetter(topic), 1, Kind.KEPT);
  }

  /** {@code memoscope.events}, one partition (events of a run stay in order): kept. */
  public static TopicSpec events() {
    return new TopicSpec(Topics.EVENTS, 1, Kind.KEPT);
  }

  /**
   * {@code memoscope.evaluations}, one partition (a run's evaluations stay in order): kept, since a
   * run's per-sample timelines are rebuilt from it.
   */
  public static TopicSpec evaluations() {
    return new TopicSpec(Topics.EVALUATIONS, 1, Kind.KEPT);
  }

  /** {@code memoscope.runs}, one partition: compacted, key = run id. */
  public static TopicSpec runs() {
    return new TopicSpec(Topics.RUNS, 1, Kind.COMPACTED);
  }

  /** {@code memoscope.datasets}, one partition: compacted, key = data set name. */
  public static TopicSpec datasets() {
    return new TopicSpec(Topics.DATASETS, 1, Kind.COMPACTED);
  }
}
