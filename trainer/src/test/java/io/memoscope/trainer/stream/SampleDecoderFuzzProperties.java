package io.memoscope.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import io.memoscope.protocol.serde.ImageSampleSerializer;
import io.memoscope.protocol.serde.InvalidRecordException;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.train.DataShape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Issue 14, item 7, the trainer's side: random and mutated sample records (values and keys) into
 * the path a run reads them through: {@link SampleDecoder}'s pass, {@link DeadLetters} on a real
 * KRaft broker, and {@link RangeReader}'s loop. Each record is either trained on, and then its
 * sample keeps the contract, or rejected with the first {@link Rejection} that applies (in the
 * order SampleDecoder documents) and dead-lettered once, key and value as they were; the
 * dead-letter count rises by one per rejection. Nothing escapes a decode, and no decode takes long
 * (inputs are at most 2 KB).
 *
 * <p>jqwik runs no JUnit 5 extensions, so the broker is started in {@code @BeforeContainer}.
 */
class SampleDecoderFuzzProperties {

  private static final String DATASET = "fuzz";
  private static final DataShape SHAPE = new DataShape(new InputShape(2, 2, 1), 2, 10, 1);
  private static final long LABEL_SEED = 7;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Far more than a decode of 2 KB needs: beyond it, a decode is taken to hang. */
  private static final Duration DECODE_BOUND = Duration.ofSeconds(2);

  private static final ImageSampleDeserializer DESERIALIZER = new ImageSampleDeserializer();

  /** The 10-byte single-object header of ImageSample (marker and schema fingerprint). */
  private static final byte[] HEADER =
      Arrays.copyOf(encode(sample(DATASET, Split.train, 0, 2, 1)), 10);

  private static EmbeddedKafka kafka;
  private static KafkaProducer<byte[], byte[]> samples;

  /**
   * Reads the dead-letter topics on from their start: each try finds there the letters it caused.
   */
  private static KafkaConsumer<byte[], byte[]> letters;

  /**
   * Offsets of records fed without a broker, never repeated (DeadLetters sends a record only once)
   * and far beyond those the broker gives, so that a record's letter is known by topic and offset.
   */
  private static final AtomicLong offsets = new AtomicLong(1L << 40);

  private DeadLetters deadLetters;

  @BeforeContainer
  static void startBroker() {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
    List<TopicPartition> deadLetterPartitions = new ArrayList<>();
    try (Admin admin = Admin.create(client())) {
      for (Split split : Split.values()) {
        String topic = Topics.samples(DATASET, split);
        TopicAdmin.ensure(
            admin, TopicSpecs.samples(DATASET, split, 1), TopicSettings.DEFAULTS, TIMEOUT);
        // Up front, so that no dead letter waits for its topic to be created.
        TopicAdmin.ensure(admin, TopicSpecs.deadLetter(topic), TopicSettings.DEFAULTS, TIMEOUT);
        deadLetterPartitions.add(new TopicPartition(Topics.deadLetter(topic), 0));
      }
    }
    samples = new KafkaProducer<>(client(), new ByteArraySerializer(), new ByteArraySerializer());
    letters =
        new KafkaConsumer<>(client(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    letters.assign(deadLetterPartitions);
    letters.seekToBeginning(deadLetterPartitions);
  }

  @AfterContainer
  static void stopBroker() throws Exception {
    // In reverse order of opening; null if the start failed before it.
    for (AutoCloseable open : Arrays.asList(letters, samples, kafka)) {
      if (open != null) {
        open.close();
      }
    }
  }

  @BeforeProperty
  void openDeadLetters() {
    deadLetters = new DeadLetters(client());
  }

  @AfterProperty
  void closeDeadLetters() {
    deadLetters.close();
  }

  /** Random bytes, and random bodies after a valid header (they reach the Avro body decoder). */
  @Property(tries = 200, seed = "14")
  void randomRecordsAreTrainedOrDeadLettered(@ForAll("randomFeeds") Feed feed) {
    decodeAndCheck(feed);
  }

  /** Valid records, some with their value or key mutated: reads that also repeat indices. */
  @Property(tries = 300, seed = "14")
  void mutatedRecordsAreTrainedOrDeadLettered(@ForAll("mutatedFeeds") Feed feed) {
    decodeAndCheck(feed);
  }

  /** The same through the broker and RangeReader's loop, as a run's reader thread decodes them. */
  @Property(tries = 40, seed = "14")
  void recordsReadFromTheBrokerAreTrainedOrDeadLettered(@ForAll("mutatedFeeds") Feed feed)
      throws Exception {
    String topic = feed.topic();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Input input : feed.inputs()) {
      sent.add(samples.send(new ProducerRecord<>(topic, 0, input.key(), input.value())));
    }
    long start = sent.get(0).get().offset();
    long end = sent.get(sent.size() - 1).get().offset() + 1;
    TopicRange range =
        TopicRange.newBuilder()
            .setTopic(topic)
            .setPartition(0)
            .setStartOffset(start)
            .setEndOffset(end)
            .build();
    Read read = new Read();
    List<Long> handedOn = new ArrayList<>();
    new RangeReader(client(), List.of(range), Duration.ofMillis(200))
        .read(
            record -> {
              handedOn.add(record.offset());
              read.decode(record);
            },
            () -> false);

    assertThat(handedOn)
        .as("every record of the range, once, in offset order")
        .isEqualTo(LongStream.range(start, end).boxed().toList());
    read.checkDeadLetters();
  }

  /** Without a broker: the feed's records handed straight to one pass, as RangeReader would. */
  private void decodeAndCheck(Feed feed) {
    Read read = new Read();
    for (Input input : feed.inputs()) {
      read.decode(input.record(feed.topic(), offsets.getAndIncrement()));
    }
    read.checkDeadLetters();
  }

  /** Records written to the samples topic of {@code split}, in this order. */
  record Feed(Split split, List<Input> inputs) {
    String topic() {
      return Topics.samples(DATASET, split);
    }
  }

  /** A record's key and value as a producer wrote them (either may be null). */
  record Input(byte[] key, byte[] value) {
    ConsumerRecord<byte[], byte[]> record(String topic, long offset) {
      return new ConsumerRecord<>(topic, 0, offset, key, value);
    }
  }

  /** One read of a split's range through one pass, each verdict checked as it is made. */
  private final class Read {
    private final SampleDecoder.Pass pass = new SampleDecoder(SHAPE, deadLetters).pass();
    private final Set<Long> trained = new HashSet<>();
    private final long countBefore;

    /** "topic@offset" of each record rejected → its dead letter as it must be found. */
    private final Map<String, Letter> expected = new HashMap<>();

    Read() {
      // A failed try's letters are acknowledged before this one counts its own.
      deadLetters.awaitWritten();
      countBefore = deadLetters.count();
    }

    void decode(ConsumerRecord<byte[], byte[]> record) {
      Optional<Rejection> verdict = firstFailedCheck(record, trained);
      // In the report: how often each check decided, so a generator that stops reaching one shows.
      Statistics.collect(verdict.map(Rejection::name).orElse("TRAINED"));
      long rejectedBefore = deadLetters.rejected(record.topic());
      // Preemptively: a decode that hangs fails the try instead of the build.
      Optional<SampleView> view =
          assertTimeoutPreemptively(
              DECODE_BOUND,
              () -> pass.decode(record),
              () -> "decoding " + describe(record) + " took over " + DECODE_BOUND);
      if (view.isPresent()) {
        assertThat(verdict).as("trained on: %s", describe(record)).isEmpty();
        assertKeepsTheContract(record, view.get());
        assertThat(deadLetters.rejected(record.topic())).isEqualTo(rejectedBefore);
      } else {
        assertThat(verdict).as("rejected: %s", describe(record)).isPresent();
        assertThat(deadLetters.rejected(record.topic()))
            .as("rejected once")
            .isEqualTo(rejectedBefore + 1);
        expected.put(
            record.topic() + "@" + record.offset(),
            Letter.of(verdict.get().name(), record.key(), record.value()));
      }
    }

    /**
     * Once acknowledged, the count has risen by one per rejection, and each letter is on the
     * broker.
     */
    void checkDeadLetters() {
      deadLetters.awaitWritten();
      assertThat(deadLetters.count() - countBefore).isEqualTo(expected.size());
      Map<String, Letter> found = new HashMap<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (found.size() < expected.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> letter : letters.poll(Duration.ofMillis(200))) {
          // Letters of a failed try that was never looked at are passed over (their records are
          // never fed again).
          String where =
              header(letter, DeadLetters.TOPIC) + "@" + header(letter, DeadLetters.OFFSET);
          if (expected.containsKey(where)) {
            found.put(
                where,
                Letter.of(header(letter, DeadLetters.PROBLEM), letter.key(), letter.value()));
          }
        }
      }
      assertThat(found).isEqualTo(expected);
    }
  }

  /** A dead letter's problem, key and value (hex, "null" for none): comparable with equals. */
  record Letter(String problem, String key, String value) {
    static Letter of(String problem, byte[] key, byte[] value) {
      return new Letter(problem, hex(key), hex(value));
    }

    private static String hex(byte[] bytes) {
      return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }
  }

  /**
   * The contract restated independently of SampleDecoder: the first check {@code record} fails, in
   * the documented order, or empty if it is to be trained on (then its index counts as read).
   */
  private static Optional<Rejection> firstFailedCheck(
      ConsumerRecord<byte[], byte[]> record, Set<Long> trained) {
    ImageSample sample;
    try {
      sample = DESERIALIZER.deserialize(record.topic(), record.value());
    } catch (InvalidRecordException e) {
      return Optional.of(Rejection.of(e.problem()));
    }
    if (sample == null) {
      return Optional.of(Rejection.EMPTY_VALUE);
    }
    if (!Arrays.equals(record.key(), key(sample.getIndex()))) {
      return Optional.of(Rejection.KEY_MISMATCH);
    }
    if (!sample.getDataset().equals(DATASET)) {
      return Optional.of(Rejection.DATASET_MISMATCH);
    }
    if (!Topics.samples(DATASET, sample.getSplit()).equals(record.topic())) {
      return Optional.of(Rejection.SPLIT_MISMATCH);
    }
    DataShape shape =
        new DataShape(
            new InputShape(sample.getHeight(), sample.getWidth(), sample.getChannels()),
            sample.getNumClasses(),
            sample.getRandomClasses(),
            SHAPE.labelings());
    if (!shape.equals(SHAPE) || sample.getRandomLabels().size() < SHAPE.labelings()) {
      return Optional.of(Rejection.SHAPE_MISMATCH);
    }
    if (!trained.add(sample.getIndex())) {
      return Optional.of(Rejection.DUPLICATE_INDEX);
    }
    return Optional.empty();
  }

  /** What a trained sample must be: its key's index, the data set's shape, its labels in range. */
  private static void assertKeepsTheContract(
      ConsumerRecord<byte[], byte[]> record, SampleView view) {
    assertThat(ByteBuffer.wrap(record.key()).getLong()).isEqualTo(view.index());
    InputShape input = SHAPE.input();
    assertThat(new InputShape(view.height(), view.width(), view.channels())).isEqualTo(input);
    assertThat(view.pixels()).hasSize(input.height() * input.width() * input.channels());
    assertThat(view.label()).isBetween(0, SHAPE.numClasses() - 1);
    assertThat(view.randomLabels()).hasSizeGreaterThanOrEqualTo(SHAPE.labelings());
    assertThat(Arrays.stream(view.randomLabels()))
        .allSatisfy(label -> assertThat(label).isBetween(0, SHAPE.randomClasses() - 1));
  }

  @Provide
  Arbitrary<Feed> randomFeeds() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_048);
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(12).injectNull(0.05);
    Arbitrary<byte[]> afterHeader =
        bytes.map(
            body -> {
              byte[] value = Arrays.copyOf(HEADER, HEADER.length + body.length);
              System.arraycopy(body, 0, value, HEADER.length, body.length);
              return value;
            });
    Arbitrary<List<Input>> inputs =
        Combinators.combine(keys, Arbitraries.oneOf(bytes.injectNull(0.05), afterHeader))
            .as(Input::new)
            .list()
            .ofMinSize(1)
            .ofMaxSize(4);
    return Combinators.combine(Arbitraries.of(Split.class), inputs).as(Feed::new);
  }

  /** Valid records and mutated ones (1 to 4 changes to the value, up to 2 to the key). */
  @Provide
  Arbitrary<Feed> mutatedFeeds() {
    return Arbitraries.of(Split.class)
        .flatMap(
            split -> {
              Arbitrary<List<Mutation>> valueMutations =
                  mutations().list().ofMinSize(1).ofMaxSize(4);
              Arbitrary<List<Mutation>> keyMutations = mutations().list().ofMaxSize(2);
              Arbitrary<Input> mutated =
                  Combinators.combine(validRecords(split), valueMutations, keyMutations)
                      .as(
                          (valid, onValue, onKey) ->
                              new Input(
                                  Mutation.all(onKey, valid.key()),
                                  Mutation.all(onValue, valid.value())));
              // Half of them left valid, so that indices repeat among trained records too.
              return Arbitraries.oneOf(validRecords(split), mutated)
                  .list()
                  .ofMinSize(1)
                  .ofMaxSize(8)
                  .map(inputs -> new Feed(split, inputs));
            });
  }

  /**
   * Well-formed records, most of them of the data set and {@code split}: few indices (so they
   * repeat), some of another data set, split or shape, more labelings, or a key that is another
   * index.
   */
  private static Arbitrary<Input> validRecords(Split split) {
    Arbitrary<String> datasets = Arbitraries.frequency(Tuple.of(5, DATASET), Tuple.of(1, "other"));
    Arbitrary<Integer> heights = Arbitraries.frequency(Tuple.of(5, 2), Tuple.of(1, 3));
    Arbitrary<Long> keyShifts = Arbitraries.frequency(Tuple.of(6, 0L), Tuple.of(1, 1L));
    Arbitrary<Split> splits = Arbitraries.frequency(Tuple.of(5, split), Tuple.of(1, other(split)));
    return Combinators.combine(
            datasets,
            splits,
            Arbitraries.longs().between(0, 3),
            heights,
            Arbitraries.integers().between(1, 2),
            keyShifts)
        .as(
            (dataset, itsSplit, index, height, labelings, keyShift) ->
                new Input(
                    key(index + keyShift),
                    encode(sample(dataset, itsSplit, index, height, labelings))));
  }

  private static Split other(Split split) {
    return split == Split.train ? Split.test : Split.train;
  }

  private static ImageSample sample(
      String dataset, Split split, long index, int height, int labelings) {
    byte[] pixels = new byte[height * SHAPE.input().width() * SHAPE.input().channels()];
    Arrays.fill(pixels, (byte) index);
    return ImageSample.newBuilder()
        .setDataset(dataset)
        .setSplit(split)
        .setIndex(index)
        .setHeight(height)
        .setWidth(SHAPE.input().width())
        .setChannels(SHAPE.input().channels())
        .setPixels(ByteBuffer.wrap(pixels))
        .setLabel((int) (index % SHAPE.numClasses()))
        .setNumClasses(SHAPE.numClasses())
        .setRandomLabels(
            RandomLabels.labels(
                LABEL_SEED, dataset, split, index, labelings, SHAPE.randomClasses()))
        .setRandomClasses(SHAPE.randomClasses())
        .setLabelSeed(LABEL_SEED)
        .build();
  }

  private static byte[] encode(ImageSample sample) {
    try (ImageSampleSerializer serializer = new ImageSampleSerializer()) {
      return serializer.serialize("fuzz", sample);
    }
  }

  /** One change to a record's bytes, as a broken producer, disk or network might make it. */
  record Mutation(Kind kind, int at, byte[] bytes) {
    enum Kind {
      FLIP_BIT,
      SET_BYTE,
      TRUNCATE,
      INSERT,
      DELETE
    }

    static byte[] all(List<Mutation> mutations, byte[] bytes) {
      for (Mutation mutation : mutations) {
        bytes = mutation.apply(bytes);
      }
      return bytes;
    }

    byte[] apply(byte[] in) {
      int cut = at % (in.length + 1);
      if (in.length == 0 && (kind == Kind.FLIP_BIT || kind == Kind.SET_BYTE)) {
        return in;
      }
      byte[] out = in.clone();
      switch (kind) {
        case FLIP_BIT -> out[at % in.length] ^= (byte) (1 << (bytes[0] & 7));
        case SET_BYTE ->
            out[at % in.length] = bytes[0]; // e.g. a length or union index made huge or negative
        case TRUNCATE -> out = Arrays.copyOf(in, cut);
        case INSERT -> {
          out = new byte[in.length + bytes.length];
          System.arraycopy(in, 0, out, 0, cut);
          System.arraycopy(bytes, 0, out, cut, bytes.length);
          System.arraycopy(in, cut, out, cut + bytes.length, in.length - cut);
        }
        case DELETE -> {
          int to = Math.min(in.length, cut + bytes.length);
          out = new byte[in.length - (to - cut)];
          System.arraycopy(in, 0, out, 0, cut);
          System.arraycopy(in, to, out, cut, in.length - to);
        }
      }
      return out;
    }
  }

  /**
   * A mutation's bytes: the new byte or bit (first one), the insertion, or the deletion's length.
   */
  private static Arbitrary<Mutation> mutations() {
    return Combinators.combine(
            Arbitraries.of(Mutation.Kind.class),
            Arbitraries.integers().between(0, 4_096),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16))
        .as(Mutation::new);
  }

  private static byte[] key(long index) {
    return ByteBuffer.allocate(Long.BYTES).putLong(index).array();
  }

  private static String describe(ConsumerRecord<byte[], byte[]> record) {
    return record.topic()
        + "@"
        + record.offset()
        + " "
        + Letter.of("", record.key(), record.value());
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
