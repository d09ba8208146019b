package io.memoscope.protocol.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics on any Kafka cluster and returns only once clients can produce to them.
 *
 * <p>{@code createTopics} completes when the controller has accepted the topic, before the brokers
 * act as leaders for its partitions. Records produced in that window can be lost (KAFKA-15591), so
 * every method here waits until each partition has a leader that serves it. That wait closed the
 * window in every round measured on one broker; produce with {@link ProducerSettings#safe} as well,
 * which survives the window on its own.
 */
public final class TopicAdmin {

  /** What to do when the topic is already there. */
  public enum IfExists {
    /** Throw the {@link TopicExistsException}. */
    FAIL,
    /** Use the topic as it is (its partition count may differ from the one asked for). */
    USE_EXISTING
  }

  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long POLL_INTERVAL_MS = 50;

  private TopicAdmin() {}

  /**
   * Creates the topic and waits until every partition has a leader that serves it (see {@link
   * #awaitLeaders(Admin, String, Duration)}).
   *
   * @return the topic as last described, every partition with a leader
   * @throws TopicExistsException if it exists and {@code ifExists} is {@link IfExists#FAIL}
   * @throws TimeoutException if creating and waiting took longer than {@code timeout}
   */
  public static TopicDescription createTopic(
      Admin admin, NewTopic topic, IfExists ifExists, Duration timeout) {
    Deadline deadline = new Deadline(timeout);
    try {
      await(admin.createTopics(List.of(topic)).all(), deadline, "create topic " + topic.name());
    } catch (TopicExistsException e) {
      if (ifExists == IfExists.FAIL) {
        throw e;
      }
      log.debug("Topic {} already exists; using it", topic.name());
    }
    TopicDescription description = awaitLeaders(admin, topic.name(), deadline.remaining());
    int asked = topic.numPartitions();
    // A negative count means "the broker's default"; anything goes then.
    if (asked > 0 && description.partitions().size() != asked) {
      log.warn(
          "Topic {} has {} partitions, not the {} asked for",
          topic.name(),
          description.partitions().size(),
          asked);
    }
    return description;
  }

  /**
   * Creates the topic from its spec if it is missing (waiting for its leaders, as {@link
   * #createTopic(Admin, NewTopic, IfExists, Duration)}), and checks one that exists against the
   * spec: each contradiction (a retention that deletes replayable records, a registry that is not
   * compacted, fewer replicas than asked, {@code min.insync.replicas} below 2 with 3 replicas or
   * more) is logged as a warning that names the topic and what it costs; a topic runs are replayed
   * from that is compacted is refused.
   *
   * @return the contradictions found; empty for a topic just created
   * @throws IllegalStateException if the existing topic must not be used ({@link
   *     TopicSpec#breaksReplay})
   */
  public static List<String> ensure(
      Admin admin, TopicSpec spec, TopicSettings settings, Duration timeout) {
    Deadline deadline = new Deadline(timeout);
    TopicDescription description =
        createTopic(admin, spec.newTopic(settings), IfExists.USE_EXISTING, deadline.remaining());
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
    Config existing =
        await(
            admin.describeConfigs(List.of(resource)).values().get(resource),
            deadline,
            "describe the configs of " + spec.name());
    spec.breaksReplay(existing)
        .ifPresent(
            reason -> {
              throw new IllegalStateException(reason);
            });
    List<String> contradictions = new ArrayList<>(spec.contradictions(existing, settings));
    int replicas =
        description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
    settings
        .replicationFactor()
        .filter(factor -> replicas < factor)
        .ifPresent(
            factor ->
                contradictions.add(
                    spec.name()
                        + " has "
                        + replicas
                        + " replica(s) per partition, not the "
                        + factor
                        + " asked for: it was"
                        + " created before with fewer, and Kafka does not add replicas by itself"));
    ConfigEntry minInSync = existing.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    if (replicas >= 3
        && minInSync != null
        && Integer.parseInt(minInSync.value()) < TopicSpec.MIN_IN_SYNC_REPLICAS) {
      contradictions.add(
          spec.name()
              + " has "
              + replicas
              + " replicas but min.insync.replicas="
              + minInSync.value()
              + ": a write acknowledged by one broker is lost if that broker is lost (set it to "
              + TopicSpec.MIN_IN_SYNC_REPLICAS
              + ")");
    }
    contradictions.forEach(line -> log.warn("{}", line));
    return contradictions;
  }

  /**
   * Creates the topic with its own admin client as {@link #createTopic(Admin, NewTopic, IfExists,
   * Duration)} does, then also waits until a client's own metadata request sees every partition
   * with a leader: the full guard, for callers about to produce.
   *
   * @param clientConfig bootstrap servers plus whatever the cluster needs (security, timeouts)
   */
  public static TopicDescription createTopic(
      Map<String, Object> clientConfig, NewTopic topic, IfExists ifExists, Duration timeout) {
    Deadline deadline = new Deadline(timeout);
    try (Admin admin = Admin.create(clientConfig);
        KafkaConsumer<byte[], byte[]> metadataClient = metadataConsumer(clientConfig)) {
      TopicDescription description = createTopic(admin, topic, ifExists, deadline.remaining());
      awaitLeaders(
          metadataClient::partitionsFor,
          topic.name(),
          description.partitions().size(),
          deadline.remaining());
      return description;
    }
  }

  /**
   * Waits until {@code admin} describes the topic with a leader for every partition, and each
   * leader answers a request for the partition's end offset.
   *
   * <p>A broker publishes new metadata to clients before its replica manager has taken up
   * leadership, so a leader in the metadata alone does not mean produce requests will succeed;
   * {@code ListOffsets} is served by the same replica manager as {@code Produce}.
   *
   * @throws TimeoutException if that did not happen within {@code timeout}
   */
  public static TopicDescription awaitLeaders(Admin admin, String topic, Duration timeout) {
    Deadline deadline = new Deadline(timeout);
    String lastSeen = "nothing yet";
    while (true) {
      try {
        DescribeTopicsOptions options =
            new DescribeTopicsOptions().timeoutMs(deadline.remainingMillisAsInt());
        TopicDescription description =
            await(
                admin.describeTopics(List.of(topic), options).topicNameValues().get(topic),
                deadline,
                "describe topic " + topic);
        if (description.partitions().stream()
            .map(TopicPartitionInfo::leader)
            .allMatch(TopicAdmin::isLeader)) {
          await(
              admin
                  .listOffsets(
                      latestOffsetsOf(description),
                      new ListOffsetsOptions().timeoutMs(deadline.remainingMillisAsInt()))
                  .all(),
              deadline,
              "list the end offsets of " + topic);
          return description;
        }
        lastSeen = description.partitions().toString();
      } catch (RetriableException e) {
        // Right after creation the broker answering may not know the topic, or not lead it yet.
        if (e instanceof TimeoutException && deadline.passed()) {
          throw timeout(topic, timeout, lastSeen);
        }
        lastSeen = e.toString();
      }
      pauseOrTimeOut(deadline, topic, timeout, lastSeen);
    }
  }

  /**
   * Waits until a client's own metadata shows {@code partitionCount} partitions of the topic, each
   * with a leader. Pass {@code consumer::partitionsFor}: a consumer that is not assigned the topic
   * sends a fresh metadata request on every call (a producer answers from its cache).
   *
   * @throws TimeoutException if that did not happen within {@code timeout}
   */
  public static List<PartitionInfo> awaitLeaders(
      Function<String, List<PartitionInfo>> partitionsFor,
      String topic,
      int partitionCount,
      Duration timeout) {
    Deadline deadline = new Deadline(timeout);
    String lastSeen = "nothing yet";
    while (true) {
      try {
        List<PartitionInfo> partitions = partitionsFor.apply(topic);
        if (partitions != null
            && partitions.size() == partitionCount
            && partitions.stream().map(PartitionInfo::leader).allMatch(TopicAdmin::isLeader)) {
          return partitions;
        }
        lastSeen = String.valueOf(partitions);
      } catch (RetriableException e) {
        lastSeen = e.toString();
      }
      pauseOrTimeOut(deadline, topic, timeout, lastSeen);
    }
  }

  private static KafkaConsumer<byte[], byte[]> metadataConsumer(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(config);
  }

  private static Map<TopicPartition, OffsetSpec> latestOffsetsOf(TopicDescription description) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartitionInfo partition : description.partitions()) {
      latest.put(
          new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
    }
    return latest;
  }

  private static boolean isLeader(Node node) {
    return node != null && !node.isEmpty();
  }

  private static void pauseOrTimeOut(
      Deadline deadline, String topic, Duration timeout, String lastSeen) {
    if (deadline.remainingMillis() <= POLL_INTERVAL_MS) {
      throw timeout(topic, timeout, lastSeen);
    }
    try {
      Thread.sleep(POLL_INTERVAL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private static TimeoutException timeout(String topic, Duration timeout, String lastSeen) {
    return new TimeoutException(
        "Topic "
            + topic
            + " had no leader for every partition within "
            + timeout
            + "; last seen: "
            + lastSeen);
  }

  /** Kafka's exception itself on failure, so callers can act on its type. */
  private static <T> T await(KafkaFuture<T> future, Deadline deadline, String what) {
    return KafkaFutures.await(future, deadline.remaining(), "Failed to " + what);
  }

  /** One time budget shared by the steps of a call. */
  private record Deadline(long endNanos) {
    Deadline(Duration timeout) {
      this(System.nanoTime() + timeout.toNanos());
    }

    long remainingMillis() {
      return Math.max(0, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
    }

    int remainingMillisAsInt() {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(1, remainingMillis()));
    }

    Duration remaining() {
      return Duration.ofMillis(remainingMillis());
    }

    boolean passed() {
      return remainingMillis() == 0;
    }
  }
}
