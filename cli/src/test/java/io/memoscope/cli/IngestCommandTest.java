package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  private CliRun ingest(String... args) {
    return CliRun.against(kafka.bootstrapServers(), "ingest", args);
  }

  @Test
  void ingestsAndEndsWithAOneLineSummary() {
    CliRun run =
        ingest(
            "--source",
            "synthetic",
            "--dataset",
            "cli-synth",
            "--count",
            "60",
            "--test-count",
            "12",
            "--height",
            "8",
            "--width",
            "8");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("ingested cli-synth: train 60, test 12 records")
        .hasLineCount(1);
  }

  @Test
  void aSecondIngestIsRefusedAndSaysWhatToDo() {
    assertThat(
            ingest(
                    "--source",
                    "synthetic",
                    "--dataset",
                    "cli-twice",
                    "--count",
                    "5",
                    "--height",
                    "4",
                    "--width",
                    "4")
                .exitCode())
        .isZero();

    CliRun again =
        ingest(
            "--source",
            "synthetic",
            "--dataset",
            "cli-twice",
            "--count",
            "5",
            "--height",
            "4",
            "--width",
            "4");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("--append", "--recreate").hasLineCount(1);
    assertThat(
            ingest(
                    "--source",
                    "synthetic",
                    "--dataset",
                    "cli-twice",
                    "--count",
                    "5",
                    "--height",
                    "4",
                    "--width",
                    "4",
                    "--recreate")
                .exitCode())
        .isZero();
  }

  @Test
  void aMissingDirectoryIsOneLineNamingIt() {
    Path missing = dir.resolve("no-such-folder");
    CliRun run = ingest("--source", "idx", "--dataset", "nothing", "--dir", missing.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("memoscope ingest: ")
        .contains(missing.toString())
        .hasLineCount(1);
  }

  @Test
  void anOptionTheSourceDoesNotReadIsAUsageError() {
    CliRun run = ingest("--source", "idx", "--dataset", "x", "--height", "3");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("source idx does not read height");
  }

  @Test
  void anUnknownSourceListsTheAvailableOnes() {
    CliRun run = ingest("--source", "nope", "--dataset", "x");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("no source named 'nope'; available: cifar, folder, idx, synthetic");
  }

  @Test
  void listsTheSources() {
    CliRun run = CliRun.of(Map.of(), "ingest", "--list-sources");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("idx", "cifar", "folder", "synthetic");
  }

  @Test
  void anUnreachableBrokerFailsFast() {
    CliRun run =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "x",
            "--count",
            "1",
            "--bootstrap",
            "127.0.0.1:1",
            "--timeout",
            "1s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach Kafka at 127.0.0.1:1").hasLineCount(1);
  }

  @Test
  void createTopicsOnlyMakesTheTopicsAsAnIngestWouldAndWritesNoRecords() throws Exception {
    String train = "samples.cli-topics.train";
    String test = "samples.cli-topics.test";

    CliRun run = ingest("--create-topics-only", "--dataset", "cli-topics", "--partitions", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("topics of cli-topics: created " + train + ", " + test)
        .endsWith("no records written" + System.lineSeparator())
        .hasLineCount(1);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(List.of(train, test, Topics.DATASETS)).allTopicNames().get();
      assertThat(topics.get(train).partitions()).hasSize(2);
      assertThat(topics.get(test).partitions()).hasSize(2);
      for (String topic : List.of(train, test)) {
        assertThat(config(admin, topic).get(TopicConfig.RETENTION_MS_CONFIG).value())
            .as(topic)
            .isEqualTo("-1");
        assertThat(config(admin, topic).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
            .as(topic)
            .isEqualTo("delete");
      }
      assertThat(config(admin, Topics.DATASETS).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo("compact");
      assertThat(records(admin, train)).isZero();
      assertThat(records(admin, test)).isZero();
      assertThat(datasetKeys()).doesNotContain("cli-topics");

      // Topics already there are used as they are: a record in them stays.
      try (KafkaProducer<byte[], byte[]> raw =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(train, new byte[8], new byte[] {1})).get();
      }
      CliRun again = ingest("--create-topics-only", "--dataset", "cli-topics");
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(again.out())
          .startsWith(
              "topics of cli-topics: created none; already there: "
                  + train
                  + ", "
                  + test
                  + ", "
                  + Topics.DATASETS);
      assertThat(records(admin, train)).isEqualTo(1);

      // --recreate empties the sample topics, as it does before an ingest.
      CliRun recreated = ingest("--create-topics-only", "--dataset", "cli-topics", "--recreate");
      assertThat(recreated.exitCode()).as(recreated.err()).isZero();
      assertThat(recreated.out())
          .startsWith(
              "topics of cli-topics: created "
                  + train
                  + ", "
                  + test
                  + "; already there: "
                  + Topics.DATASETS);
      assertThat(records(admin, train)).isZero();
    }
  }

  @Test
  void createTopicsOnlyRefusesWhatDescribesRecords() {
    CliRun withSource =
        ingest("--create-topics-only", "--dataset", "x", "--source", "synthetic", "--count", "3");
    CliRun withoutDataset = ingest("--create-topics-only");

    assertThat(withSource.exitCode()).isEqualTo(2);
    assertThat(withSource.err())
        .contains("--create-topics-only writes no records, so --source, --count do not apply");
    assertThat(withoutDataset.exitCode()).isEqualTo(2);
    assertThat(withoutDataset.err()).contains("--create-topics-only needs --dataset");
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }

  /** Records in the topic: end minus start offsets, summed over its partitions. */
  private static long records(Admin admin, String topic) throws Exception {
    List<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    long end = 0;
    long start = 0;
    for (TopicPartition partition : partitions) {
      end +=
          admin
              .listOffsets(Map.of(partition, OffsetSpec.latest()))
              .all()
              .get()
              .get(partition)
              .offset();
      start +=
          admin
              .listOffsets(Map.of(partition, OffsetSpec.earliest()))
              .all()
              .get()
              .get(partition)
              .offset();
    }
    return end - start;
  }

  /** The keys of every record in memoscope.datasets, which other tests' ingests share. */
  private static List<String> datasetKeys() {
    List<String> keys = new ArrayList<>();
    TopicPartition partition = new TopicPartition(Topics.DATASETS, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
      }
    }
    return keys;
  }
}
