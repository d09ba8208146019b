package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafkaCluster;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.metrics.MetricsService;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import io.memoscope.trainer.train.TrainingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a 3-broker cluster loses the broker that leads both its sample partition and the events
 * partition mid-epoch, as in a crash (no controlled shutdown): training goes on, ends with the
 * parameters of an undisturbed run, the metrics service applies every event once, and every topic
 * memoscope created has 3 replicas.
 */
class ThreeBrokerClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long STOP_AT_STEP = 12;
  private static final String DATASET = "replicated";

  @TempDir Path dir;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aRunSurvivesLosingTheLeaderOfItsSampleAndEventPartitions() throws Exception {
    // Without controlled shutdown a stopped node does not hand its partitions over: the others
    // learn
    // of its loss only when its session times out (broker.session.timeout.ms, 9 s), as after a
    // crash.
    EmbeddedKafkaConfig crashing =
        EmbeddedKafkaConfig.defaults().withBrokerProperty("controlled.shutdown.enable", "false");
    try (EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(crashing, 3).start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
      String bootstrap = cluster.bootstrapServers();
      CliRun ingest =
          CliRun.of(
              Map.of(),
              "ingest",
              "--source",
              "synthetic",
              "--dataset",
              DATASET,
              "--count",
              "1024",
              "--test-count",
              "128",
              "--height",
              "12",
              "--width",
              "12",
              "--replication-factor",
              "3",
              "--bootstrap",
              bootstrap);
      assertThat(ingest.exitCode()).as(ingest.err()).isZero();
      TopicSettings threeReplicas = TopicSettings.DEFAULTS.withReplicationFactor((short) 3);

      try (MetricsService metrics =
          new MetricsService(
                  MetricsConfig.defaults(
                          new KafkaConnection(bootstrap, Map.of()), dir.resolve("metrics"))
                      .withHttp("127.0.0.1", 0)
                      .withTopics(threeReplicas))
              .start()) {
        RunSummary calm = train(bootstrap, threeReplicas, "calm", TrainingListener.NONE);

        TopicPartition events = new TopicPartition(Topics.EVENTS, 0);
        TopicPartition samples = new TopicPartition(Topics.samples(DATASET, Split.train), 0);
        int victim = leaderOf(admin, events);
        makeLeader(admin, samples, victim);
        TrainingListener loseTheLeader =
            new TrainingListener() {
              @Override
              public void onStep(StepMetrics step) {
                if (step.step() == STOP_AT_STEP) {
                  cluster.stopNode(victim);
                }
              }
            };
        RunSummary disturbed = train(bootstrap, threeReplicas, "disturbed", loseTheLeader);

        assertThat(cluster.runningNodeIds()).doesNotContain(victim).hasSize(2);
        assertThat(leaderOf(admin, events)).isNotEqualTo(victim);
        assertThat(leaderOf(admin, samples)).isNotEqualTo(victim);
        assertThat(disturbed.steps()).isEqualTo(calm.steps()).isEqualTo(64);
        assertThat(disturbed.parametersSha256()).isEqualTo(calm.parametersSha256());
        // The loss was felt: at step 12 the reader is at most its buffers (256 + 64 samples) ahead,
        // well short
        // of the epoch's 1,024, and waits until the controller fences the lost broker.
        assertThat(RunEvents.ofKind(RunEvents.of(bootstrap, "disturbed"), EventKind.BROKER_WAIT))
            .extracting(event -> event.getLabels().get("state"))
            .containsSubsequence("waiting", "recovered");
        assertThat(disturbed.finalMetrics()).isEqualTo(calm.finalMetrics());

        // In the topic: every event of each run once, none missing.
        Map<String, List<Long>> sequences = eventSequences(bootstrap);
        for (String run : List.of("calm", "disturbed")) {
          List<Long> seen = sequences.get(run);
          assertThat(seen)
              .as(run)
              .containsExactlyElementsOf(LongStream.range(0, seen.size()).boxed().toList());
        }
        // In the metrics service: each applied once.
        long expected = sequences.get("calm").size() + sequences.get("disturbed").size();
        MeterRegistry registry = metrics.live().registry();
        await().atMost(TIMEOUT).until(() -> applied(registry) == expected);
        assertThat(registry.get("memoscope_events_duplicate").counter().count()).isZero();
      }

      for (TopicDescription topic :
          admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          assertThat(partition.replicas())
              .as(topic.name() + "-" + partition.partition())
              .hasSize(3);
        }
      }
      assertThat(admin.listTopics().names().get())
          .contains(
              Topics.EVENTS,
              Topics.RUNS,
              Topics.DATASETS,
              Topics.samples(DATASET, Split.train),
              Topics.deadLetter(Topics.samples(DATASET, Split.train)));
      for (String topic : List.of(Topics.samples(DATASET, Split.train), Topics.EVENTS)) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("min.insync.replicas").value()).as(topic).isEqualTo("2");
        assertThat(config.get("retention.ms").value()).as(topic).isEqualTo("-1");
      }
    }
  }

  private RunSummary train(
      String bootstrap, TopicSettings topics, String runId, TrainingListener listener) {
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of(
                "epochs",
                "2",
                "batch-size",
                "32",
                "model.width-scale",
                "0.5",
                "shuffle-buffer",
                "256",
                "eval.subset",
                "128"));
    RunOptions options =
        new RunOptions(
            runId,
            new RunMode.Fresh(DATASET, config),
            dir.resolve(runId),
            "test",
            new RunTuning(4, 1000, 2, TIMEOUT, 1000, 2));
    return new StreamingRun(Map.of("bootstrap.servers", bootstrap), topics, options, listener)
        .run();
  }

  private static int leaderOf(Admin admin, TopicPartition partition) throws Exception {
    return admin
        .describeTopics(List.of(partition.topic()))
        .allTopicNames()
        .get()
        .get(partition.topic())
        .partitions()
        .get(partition.partition())
        .leader()
        .id();
  }

  /**
   * Puts {@code node} first in the partition's replica list and elects it, so one broker leads both
   * partitions.
   */
  private static void makeLeader(Admin admin, TopicPartition partition, int node) throws Exception {
    TopicPartitionInfo info =
        admin
            .describeTopics(List.of(partition.topic()))
            .allTopicNames()
            .get()
            .get(partition.topic())
            .partitions()
            .get(partition.partition());
    List<Integer> replicas = new ArrayList<>(List.of(node));
    info.replicas().stream()
        .map(replica -> replica.id())
        .filter(id -> id != node)
        .forEach(replicas::add);
    admin
        .alterPartitionReassignments(
            Map.of(partition, Optional.of(new NewPartitionReassignment(replicas))))
        .all()
        .get();
    await()
        .atMost(TIMEOUT)
        .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
    try {
      admin.electLeaders(ElectionType.PREFERRED, Set.of(partition)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof ElectionNotNeededException)) {
        throw e;
      }
    }
    await().atMost(TIMEOUT).until(() -> leaderOf(admin, partition) == node);
  }

  /** Each run's event sequence numbers as stored, in offset order, duplicates included. */
  private static Map<String, List<Long>> eventSequences(String bootstrap) {
    TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
    Map<String, List<Long>> sequences = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", bootstrap),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(Topics.EVENTS, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                record -> {
                  TrainingEvent event = deserializer.deserialize(Topics.EVENTS, record.value());
                  sequences
                      .computeIfAbsent(event.getRunId(), run -> new ArrayList<>())
                      .add(event.getSequence());
                });
      }
    }
    return sequences;
  }

  private static long applied(MeterRegistry registry) {
    return Math.round(
        Stream.of(registry.find("memoscope_events").counters().toArray(Counter[]::new))
            .mapToDouble(Counter::count)
            .sum());
  }
}
