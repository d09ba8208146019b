package io.memoscope.protocol;

import io.memoscope.protocol.avro.Split;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one place where memoscope's Kafka topic names are made.
 *
 * <p>Data set names follow a stricter rule than Kafka topic names: 1 to {@value
 * #MAX_DATASET_NAME_LENGTH} characters from {@code [a-z0-9_-]}, starting with a letter or digit. No
 * dots, because the name sits between dots in {@code samples.<dataset>.<split>} and a dotted name
 * would make two data sets share a topic ({@code a.b} + {@code train} vs {@code a} + {@code
 * b.train}); no colons, because the name is a field of the colon-separated random-label key; lower
 * case only, so that names differing in case cannot collide on case-insensitive file systems
 * (checkpoints are stored by data set).
 */
public final class Topics {

  /** Compacted; key = data set name, value = {@code DatasetInfo}. */
  public static final String DATASETS = "memoscope.datasets";

  /** Key = run id, value = {@code TrainingEvent}. */
  public static final String EVENTS = "memoscope.events";

  /** Key = run id, value = {@code SampleEvaluation}: each evaluation's per-sample results. */
  public static final String EVALUATIONS = "memoscope.evaluations";

  /** Compacted; key = run id, value = {@code RunManifest}. */
  public static final String RUNS = "memoscope.runs";

  public static final String SAMPLES_PREFIX = "samples.";
  public static final String DEAD_LETTER_SUFFIX = ".dlq";
  public static final int MAX_DATASET_NAME_LENGTH = 64;

  /** Kafka's own limit on topic name length. */
  public static final int MAX_TOPIC_NAME_LENGTH = 249;

  private static final Pattern DATASET_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

  private Topics() {}

  /** {@code samples.<dataset>.<split>}, for example {@code samples.fashion-mnist.train}. */
  public static String samples(String dataset, Split split) {
    validateDatasetName(dataset);
    Objects.requireNonNull(split, "split");
    return SAMPLES_PREFIX + dataset + "." + split.name();
  }

  /** {@code <topic>.dlq}: where records of {@code topic} that fail to decode are sent. */
  public static String deadLetter(String topic) {
    validateTopicName(topic);
    return validateTopicName(topic + DEAD_LETTER_SUFFIX);
  }

  public static boolean isValidDatasetName(String name) {
    return name != null
        && name.length() <= MAX_DATASET_NAME_LENGTH
        && DATASET_NAME.matcher(name).matches();
  }

  /** Returns {@code name} if it is a valid data set name, else throws IllegalArgumentException. */
  public static String validateDatasetName(String name) {
    if (!isValidDatasetName(name)) {
      throw new IllegalArgumentException(
          "invalid data set name "
              + quote(name)
              + ": expected 1 to "
              + MAX_DATASET_NAME_LENGTH
              + " characters from [a-z0-9_-], starting with a letter or digit");
    }
    return name;
  }

  public static boolean isValidTopicName(String topic) {
    return topic != null
        && topic.length() <= MAX_TOPIC_NAME_LENGTH
        && !topic.equals(".")
        && !topic.equals("..")
        && TOPIC_NAME.matcher(topic).matches();
  }

  /**
   * Returns {@code topic} if Kafka accepts it as a topic name, else throws
   * IllegalArgumentException.
   */
  public static String validateTopicName(String topic) {
    if (!isValidTopicName(topic)) {
      throw new IllegalArgumentException(
          "invalid topic name "
              + quote(topic)
              + ": expected 1 to "
              + MAX_TOPIC_NAME_LENGTH
              + " characters from [a-zA-Z0-9._-], not '.' or '..'");
    }
    return topic;
  }

  static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
