package io.memoscope.ingest;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import java.time.Duration;
import java.util.Objects;

/**
 * What one ingest writes, apart from where the images come from.
 *
 * @param dataset data set name (the topics are {@code samples.<dataset>.train|test})
 * @param labelings K: independent random labelings per sample
 * @param randomClasses n: random-label classes
 * @param seed seed of the random-label function
 * @param limit at most this many samples per split
 * @param partitions partitions of a sample topic this ingest creates
 * @param topics replication and retention of the topics this ingest creates
 * @param existing what to do when a sample topic already holds records
 * @param timeout how long to wait for the cluster before giving up (unreachable broker)
 * @param transactionTimeout the broker aborts an ingest that runs longer than this
 */
public record IngestConfig(
    String dataset,
    int labelings,
    int randomClasses,
    long seed,
    long limit,
    int partitions,
    TopicSettings topics,
    ExistingData existing,
    Duration timeout,
    Duration transactionTimeout) {

  /** An ingest never mixes into data already there unless told to. */
  public enum ExistingData {
    /** Refuse to write to a sample topic that already holds records. */
    REFUSE,
    /**
     * Add the new samples after the existing ones: their indices continue from the current count.
     */
    APPEND,
    /** Delete and recreate the data set's sample topics first. */
    RECREATE
  }

  public static final int DEFAULT_LABELINGS = 1;
  public static final int DEFAULT_RANDOM_CLASSES = 10;
  public static final long DEFAULT_SEED = 42;
  public static final Duration DEFAULT_TIMEOUT = KafkaConnection.DEFAULT_TIMEOUT;

  /**
   * Kafka's default transaction.max.timeout.ms: the longest a broker allows without
   * reconfiguration.
   */
  public static final int DEFAULT_TRANSACTION_TIMEOUT_MINUTES = 15;

  public static final Duration DEFAULT_TRANSACTION_TIMEOUT =
      Duration.ofMinutes(DEFAULT_TRANSACTION_TIMEOUT_MINUTES);

  public IngestConfig {
    Topics.validateDatasetName(dataset);
    require(labelings >= 1, "labelings must be at least 1, not " + labelings);
    require(randomClasses >= 1, "random-classes must be at least 1, not " + randomClasses);
    require(limit >= 0, "limit must not be negative, not " + limit);
    require(partitions >= 1, "partitions must be at least 1, not " + partitions);
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(existing, "existing");
    require(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
    require(
        !transactionTimeout.isNegative() && !transactionTimeout.isZero(),
        "transaction timeout must be positive");
  }

  /** Defaults for everything but the data set name. */
  public static IngestConfig defaults(String dataset) {
    return new IngestConfig(
        dataset,
        DEFAULT_LABELINGS,
        DEFAULT_RANDOM_CLASSES,
        DEFAULT_SEED,
        Long.MAX_VALUE,
        TopicSpecs.DEFAULT_SAMPLE_PARTITIONS,
        TopicSettings.DEFAULTS,
        ExistingData.REFUSE,
        DEFAULT_TIMEOUT,
        DEFAULT_TRANSACTION_TIMEOUT);
  }

  public IngestConfig withLimit(long newLimit) {
    return new IngestConfig(
        dataset,
        labelings,
        randomClasses,
        seed,
        newLimit,
        partitions,
        topics,
        existing,
        timeout,
        transactionTimeout);
  }

  public IngestConfig withExisting(ExistingData newExisting) {
    return new IngestConfig(
        dataset,
        labelings,
        randomClasses,
        seed,
        limit,
        partitions,
        topics,
        newExisting,
        timeout,
        transactionTimeout);
  }

  public IngestConfig withLabels(int newLabelings, int newRandomClasses, long newSeed) {
    return new IngestConfig(
        dataset,
        newLabelings,
        newRandomClasses,
        newSeed,
        limit,
        partitions,
        topics,
        existing,
        timeout,
        transactionTimeout);
  }

  public IngestConfig withTopics(int newPartitions, TopicSettings newTopics) {
    return new IngestConfig(
        dataset,
        labelings,
        randomClasses,
        seed,
        limit,
        newPartitions,
        newTopics,
        existing,
        timeout,
        transactionTimeout);
  }

  public IngestConfig withTimeout(Duration newTimeout) {
    return new IngestConfig(
        dataset,
        labelings,
        randomClasses,
        seed,
        limit,
        partitions,
        topics,
        existing,
        newTimeout,
        transactionTimeout);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
