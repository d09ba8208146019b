package io.memoscope.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.ImageSampleSerializer;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.Batch;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.train.BatchSource;
import io.memoscope.trainer.train.DataShape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.LoggerFactory;

/**
 * The producer contract as the trainer enforces it, on a real broker: records whose key is not
 * their index, whose data set or split is not their topic's, or whose index repeats are
 * dead-lettered with their reason and never trained on, the same ones every epoch and every run; a
 * DatasetInfo whose counts differ from the topics' is reported.
 */
class SampleContractTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String DATASET = "contract";
  private static final String TOPIC = Topics.samples(DATASET, Split.train);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final DataShape SHAPE = new DataShape(new InputShape(2, 2, 1), 2, 10, 1);
  private static final long SEED = 7;

  /** Offset → the problem the trainer must find there; every other offset is trained. */
  private static final Map<Long, String> BAD =
      Map.of(
          2L, "KEY_MISMATCH", 3L, "DATASET_MISMATCH", 4L, "SPLIT_MISMATCH", 5L, "DUPLICATE_INDEX");

  private static List<TopicRange> ranges;

  @BeforeAll
  static void produce() throws Exception {
    try (Admin admin = Admin.create(client())) {
      TopicAdmin.ensure(
          admin, TopicSpecs.samples(DATASET, Split.train, 1), TopicSettings.DEFAULTS, TIMEOUT);
      TopicAdmin.ensure(admin, TopicSpecs.deadLetter(TOPIC), TopicSettings.DEFAULTS, TIMEOUT);
      try (KafkaProducer<byte[], ImageSample> producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ImageSampleSerializer())) {
        send(producer, 0, sample(DATASET, Split.train, 0)); // offset 0
        send(producer, 1, sample(DATASET, Split.train, 1)); // 1
        send(producer, 9, sample(DATASET, Split.train, 2)); // 2: key 9, index 2
        send(producer, 3, sample("other", Split.train, 3)); // 3: another data set
        send(producer, 4, sample(DATASET, Split.test, 4)); // 4: a test sample
        send(producer, 1, sample(DATASET, Split.train, 1)); // 5: index 1 again
        send(producer, 5, sample(DATASET, Split.train, 5)); // 6
        send(producer, 2, sample(DATASET, Split.train, 2)); // 7: index 2, right key
        send(producer, 6, sample(DATASET, Split.train, 6)); // 8
      }
      ranges = RunManifests.ranges(admin, TOPIC, TIMEOUT);
    }
  }

  @Test
  void recordsBreakingTheContractAreDeadLetteredWithTheirReasonTheSameEveryEpochAndRun() {
    // Other tests of this class dead-letter into the same topic: look only at what each run adds.
    int before = deadLetterTopic().size();
    List<List<Long>> firstRun = train(2);
    int afterFirst = deadLetterTopic().size();
    List<List<Long>> secondRun = train(2);
    List<ConsumerRecord<byte[], byte[]>> letters = deadLetterTopic();

    // Index 2 is trained from offset 7: the copy with the wrong key (offset 2) did not claim it.
    assertThat(firstRun).containsExactly(List.of(0L, 1L, 2L, 5L, 6L), List.of(0L, 1L, 2L, 5L, 6L));
    assertThat(secondRun).isEqualTo(firstRun);
    assertThat(problemsByOffset(letters.subList(before, afterFirst))).isEqualTo(new TreeMap<>(BAD));
    assertThat(problemsByOffset(letters.subList(afterFirst, letters.size())))
        .isEqualTo(new TreeMap<>(BAD));
    ConsumerRecord<byte[], byte[]> wrongKey =
        letters.subList(before, afterFirst).stream()
            .filter(r -> header(r, DeadLetters.OFFSET).equals("2"))
            .findFirst()
            .orElseThrow();
    assertThat(header(wrongKey, DeadLetters.REASON)).contains("key is 9, not its index 2");
    assertThat(header(wrongKey, DeadLetters.TOPIC)).isEqualTo(TOPIC);
    assertThat(header(wrongKey, DeadLetters.PARTITION)).isEqualTo("0");
    assertThat(ByteBuffer.wrap(wrongKey.key()).getLong()).as("the key as it was").isEqualTo(9);
  }

  @Test
  void theFirstSamplesOfARangeAreCheckedTheSameWay() {
    try (DeadLetters deadLetters = new DeadLetters(client())) {
      List<SampleView> first =
          new SampleDecoder(SHAPE, deadLetters).decodeFirst(client(), ranges, 7);

      assertThat(first).extracting(SampleView::index).containsExactly(0L, 1L, 5L);
      assertThat(deadLetters.rejected(TOPIC)).isEqualTo(BAD.size());
    }
  }

  @Test
  void aDatasetInfoWhoseCountsDifferFromTheTopicsIsReportedInOneWarningLine() {
    Logger logger = (Logger) LoggerFactory.getLogger(DatasetCounts.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      long committed = CommittedRecords.count(client(), ranges);
      DatasetInfo info = info(8, 0);

      assertThat(DatasetCounts.check(info, Split.train, committed)).isFalse();
      assertThat(DatasetCounts.check(info, Split.test, 0)).isTrue();
      assertThat(DatasetCounts.check(info(9, 0), Split.train, committed)).isTrue();

      assertThat(committed).isEqualTo(9);
      assertThat(appender.list)
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage())
                    .isEqualTo(
                        "data set contract: DatasetInfo.trainCount is 8 but the"
                            + " run's range of samples.contract.train holds 9 committed records; the run reads those");
              });
    } finally {
      logger.detachAppender(appender);
    }
  }

  /** Trains nothing, but reads {@code epochs} epochs as a run would; the sample indices of each. */
  private static List<List<Long>> train(int epochs) {
    long records = CommittedRecords.count(client(), ranges);
    List<List<Long>> trained = new ArrayList<>();
    try (DeadLetters deadLetters = new DeadLetters(client());
        KafkaBatchSource source =
            new KafkaBatchSource(
                client(),
                ranges,
                records,
                4,
                SEED,
                16,
                2,
                new Augmenter(0, false, SEED),
                SHAPE.assembler(DataType.FLOAT),
                new SampleDecoder(SHAPE, deadLetters))) {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        List<Long> indices = new ArrayList<>();
        try (BatchSource.Epoch batches = source.epoch(epoch)) {
          while (batches.hasNext()) {
            Batch batch = batches.next();
            Arrays.stream(batch.indices()).forEach(indices::add);
          }
        }
        // The run's invariant: every record of the range is trained or dead-lettered, once.
        assertThat(indices).hasSize((int) (records - deadLetters.rejected(TOPIC)));
        trained.add(indices.stream().sorted().toList());
      }
    }
    return trained;
  }

  private static ImageSample sample(String dataset, Split split, long index) {
    return ImageSample.newBuilder()
        .setDataset(dataset)
        .setSplit(split)
        .setIndex(index)
        .setHeight(2)
        .setWidth(2)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) index}))
        .setLabel((int) (index % 2))
        .setNumClasses(2)
        .setRandomLabels(RandomLabels.labels(SEED, dataset, split, index, 1, 10))
        .setRandomClasses(10)
        .setLabelSeed(SEED)
        .build();
  }

  private static DatasetInfo info(long trainCount, long testCount) {
    return DatasetInfo.newBuilder()
        .setName(DATASET)
        .setClassNames(List.of("even", "odd"))
        .setHeight(2)
        .setWidth(2)
        .setChannels(1)
        .setTrainCount(trainCount)
        .setTestCount(testCount)
        .setRandomClasses(10)
        .setLabelSeed(SEED)
        .setLabelings(1)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  private static void send(
      KafkaProducer<byte[], ImageSample> producer, long key, ImageSample sample) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                TOPIC, ByteBuffer.allocate(Long.BYTES).putLong(key).array(), sample))
        .get();
  }

  private static Map<Long, String> problemsByOffset(List<ConsumerRecord<byte[], byte[]>> letters) {
    Map<Long, String> problems = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      assertThat(
              problems.put(
                  Long.parseLong(header(letter, DeadLetters.OFFSET)),
                  header(letter, DeadLetters.PROBLEM)))
          .as("offset %s dead-lettered once per run", header(letter, DeadLetters.OFFSET))
          .isNull();
    }
    return problems;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** Every record of the dead-letter topic so far, in offset order. */
  private static List<ConsumerRecord<byte[], byte[]>> deadLetterTopic() {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (Admin admin = Admin.create(client())) {
      new RangeReader(
              client(),
              RunManifests.ranges(admin, Topics.deadLetter(TOPIC), TIMEOUT),
              Duration.ofMillis(200))
          .read(records::add, () -> false);
    }
    return records;
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
