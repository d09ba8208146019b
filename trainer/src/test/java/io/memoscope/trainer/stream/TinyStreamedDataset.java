package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.DatasetInfoSerializer;
import io.memoscope.protocol.serde.ImageSampleSerializer;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import io.memoscope.trainer.config.TrainingConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A small data set put on a real broker as {@code memoscope ingest} would (DatasetInfo, train and
 * test topics), and what the streaming-run tests need around it: a config that trains it in
 * seconds, run options, and the events a run published.
 */
final class TinyStreamedDataset {

  static final int SIZE = 12;
  static final int TRAIN = 64;
  static final int TEST = 16;
  static final int BATCH = 16;
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long SEED = 3;

  private TinyStreamedDataset() {}

  /**
   * {@code train} class-patterned 12×12 grey samples (2 classes, 10 random classes) and {@code
   * test} more.
   */
  static void ingest(Map<String, Object> client, String dataset) throws Exception {
    ingest(client, dataset, 1);
  }

  /** As above, each split's samples spread over {@code partitions} partitions by their key. */
  static void ingest(Map<String, Object> client, String dataset, int partitions) throws Exception {
    try (Admin admin = Admin.create(client)) {
      TopicAdmin.ensure(admin, TopicSpecs.datasets(), TopicSettings.DEFAULTS, TIMEOUT);
      for (Split split : List.of(Split.train, Split.test)) {
        TopicAdmin.ensure(
            admin, TopicSpecs.samples(dataset, split, partitions), TopicSettings.DEFAULTS, TIMEOUT);
      }
    }
    try (KafkaProducer<byte[], ImageSample> samples =
            new KafkaProducer<>(client, new ByteArraySerializer(), new ImageSampleSerializer());
        KafkaProducer<byte[], DatasetInfo> infos =
            new KafkaProducer<>(client, new ByteArraySerializer(), new DatasetInfoSerializer())) {
      Random noise = new Random(SEED);
      for (Split split : List.of(Split.train, Split.test)) {
        int count = split == Split.train ? TRAIN : TEST;
        for (long index = 0; index < count; index++) {
          samples
              .send(
                  new ProducerRecord<>(
                      Topics.samples(dataset, split),
                      key(index),
                      sample(dataset, split, index, noise)))
              .get();
        }
      }
      DatasetInfo info =
          DatasetInfo.newBuilder()
              .setName(dataset)
              .setClassNames(List.of("dark", "light"))
              .setHeight(SIZE)
              .setWidth(SIZE)
              .setChannels(1)
              .setTrainCount(TRAIN)
              .setTestCount(TEST)
              .setRandomClasses(10)
              .setLabelSeed(SEED)
              .setLabelings(1)
              .setCreatedAt(Instant.EPOCH)
              .build();
      infos
          .send(
              new ProducerRecord<>(Topics.DATASETS, dataset.getBytes(StandardCharsets.UTF_8), info))
          .get();
    }
  }

  static byte[] key(long index) {
    return ByteBuffer.allocate(Long.BYTES).putLong(index).array();
  }

  private static ImageSample sample(String dataset, Split split, long index, Random noise) {
    int label = (int) (index % 2);
    byte[] pixels = new byte[SIZE * SIZE];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (label * 128 + noise.nextInt(100));
    }
    return ImageSample.newBuilder()
        .setDataset(dataset)
        .setSplit(split)
        .setIndex(index)
        .setHeight(SIZE)
        .setWidth(SIZE)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(pixels))
        .setLabel(label)
        .setNumClasses(2)
        .setRandomLabels(RandomLabels.labels(SEED, dataset, split, index, 1, 10))
        .setRandomClasses(10)
        .setLabelSeed(SEED)
        .build();
  }

  /** A config that trains the data set in a few seconds: {@code epochs} × 4 steps. */
  static TrainingConfig config(int epochs, String... settings) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "model.width-scale",
                "0.5",
                "epochs",
                Integer.toString(epochs),
                "batch-size",
                Integer.toString(BATCH),
                "eval.subset",
                "16"));
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    return TrainingConfig.fromFlatMap(values);
  }

  /**
   * A new run (or, with {@code resume}, the run's continuation) in {@code runs}/{@code runId}, a
   * step event every step.
   */
  static RunOptions options(
      String runId, String dataset, TrainingConfig config, Path runs, boolean resume) {
    RunMode mode = resume ? new RunMode.Resume() : new RunMode.Fresh(dataset, config);
    return new RunOptions(runId, mode, runs.resolve(runId), "test", tuning(TIMEOUT));
  }

  /** A step event every step, update ratios and checkpoints as good as never, small prefetch. */
  static RunTuning tuning(java.time.Duration timeout) {
    return new RunTuning(1, 1000, 2, timeout, 1000, 3);
  }

  /** Every event of {@code runId} on the events topic, in order. */
  static List<TrainingEvent> events(Map<String, Object> client, String runId) {
    TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
    return eventRecords(client).stream()
        .map(record -> deserializer.deserialize(Topics.EVENTS, record.value()))
        .filter(event -> event.getRunId().equals(runId))
        .toList();
  }

  /** Every record of the events topic, key and value as they were written, in order. */
  static List<ConsumerRecord<byte[], byte[]>> eventRecords(Map<String, Object> client) {
    return records(client, Topics.EVENTS);
  }

  /** Every committed record of {@code topic}, key and value as they were written, in order. */
  static List<ConsumerRecord<byte[], byte[]>> records(Map<String, Object> client, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (Admin admin = Admin.create(client)) {
      new RangeReader(client, RunManifests.ranges(admin, topic, TIMEOUT), Duration.ofMillis(200))
          .read(records::add, () -> false);
    }
    return records;
  }

  /** The run's last RUN_FINISHED event. */
  static TrainingEvent finished(Map<String, Object> client, String runId) {
    List<TrainingEvent> finished =
        events(client, runId).stream().filter(e -> e.getKind() == EventKind.RUN_FINISHED).toList();
    if (finished.isEmpty()) {
      throw new AssertionError("run " + runId + " published no RUN_FINISHED event");
    }
    return finished.get(finished.size() - 1);
  }
}
