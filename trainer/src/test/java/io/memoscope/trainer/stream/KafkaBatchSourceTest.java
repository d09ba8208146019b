package io.memoscope.trainer.stream;

import static io.memoscope.trainer.stream.TinyStreamedDataset.SIZE;
import static io.memoscope.trainer.stream.TinyStreamedDataset.TIMEOUT;
import static io.memoscope.trainer.stream.TinyStreamedDataset.TRAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.Batch;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.train.BatchSource;
import io.memoscope.trainer.train.DataShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link KafkaBatchSource} on a real broker, over a 64-sample train split spread on two partitions:
 * every record once per epoch in batches of the size asked (the last one partial), an order that is
 * a pure function of (seed, epoch), reading ahead that reads the next epoch while one trains and
 * yields the very same batches, prefetch threads that stop promptly when closed, reader failures
 * that reach training, and the consumer lag it reports. A hang fails the test.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaBatchSourceTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String DATASET = "batches";
  private static final String PREFETCH_THREAD = "memoscope-prefetch-epoch-";
  private static final DataShape SHAPE = new DataShape(new InputShape(SIZE, SIZE, 1), 2, 10, 1);

  /** 64 samples in batches of 10: six full batches and one of 4. */
  private static final int BATCH = 10;

  private static final int WHOLE = 1_000;
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private static List<TopicRange> ranges;

  /** Prefetch threads of other test classes in this JVM, if any: not this test's to judge. */
  private Set<Thread> before;

  @BeforeAll
  static void ingest() throws Exception {
    TinyStreamedDataset.ingest(client(), DATASET, 2);
    try (Admin admin = Admin.create(client())) {
      ranges =
          RunManifests.ranges(admin, Topics.samples(DATASET, Split.train), TIMEOUT).stream()
              .sorted(Comparator.comparingInt(TopicRange::getPartition))
              .toList();
    }
    assertThat(ranges)
        .as("both partitions hold samples")
        .hasSize(2)
        .allSatisfy(
            range -> assertThat(range.getEndOffset()).isGreaterThan(range.getStartOffset()));
  }

  @BeforeEach
  void noteOtherPrefetchThreads() {
    before = Set.copyOf(prefetchThreads());
  }

  /** Whatever a test did, it leaves no prefetch thread behind. */
  @AfterEach
  void everyPrefetchThreadEnds() {
    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(ours()).isEmpty());
  }

  @ParameterizedTest(name = "shuffle buffer of {0}")
  @ValueSource(ints = {1, 8, WHOLE})
  void anEpochYieldsEveryRecordOnceInBatchesOfTheSizeAsked(int shuffleCapacity) {
    try (KafkaBatchSource source = source(7, shuffleCapacity, 2)) {
      assertThat(source.batchesPerEpoch()).isEqualTo(7);
      List<Long> indices = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      try (BatchSource.Epoch epoch = source.epoch(1)) {
        while (epoch.hasNext()) {
          Batch batch = epoch.next();
          sizes.add(batch.size());
          for (int row = 0; row < batch.size(); row++) {
            long index = batch.indices()[row];
            indices.add(index);
            assertThat(batch.labels().getFloat(row, (int) (index % 2)))
                .as("class of sample %d", index)
                .isEqualTo(1f);
          }
        }
        assertThatThrownBy(epoch::next).isInstanceOf(NoSuchElementException.class);
      }

      assertThat(sizes).containsExactly(10, 10, 10, 10, 10, 10, 4);
      assertThat(indices)
          .containsExactlyInAnyOrderElementsOf(LongStream.range(0, TRAIN).boxed().toList());
      if (shuffleCapacity > 1) {
        assertThat(indices).as("shuffled").isNotEqualTo(indices.stream().sorted().toList());
      }
    }
  }

  @Test
  void theOrderIsAPureFunctionOfSeedAndEpoch() {
    try (KafkaBatchSource source = source(7, WHOLE, 2);
        KafkaBatchSource sameSeed = source(7, WHOLE, 2);
        KafkaBatchSource otherSeed = source(8, WHOLE, 2)) {
      List<Content> first = contents(source, 1);

      assertThat(contents(sameSeed, 1)).as("another consumer, the same seed").isEqualTo(first);
      assertThat(indices(contents(source, 2))).as("the next epoch").isNotEqualTo(indices(first));
      assertThat(indices(contents(otherSeed, 1))).as("another seed").isNotEqualTo(indices(first));
      assertThat(contents(source, 1)).as("epoch 1 read again, as a resume does").isEqualTo(first);
    }
  }

  @Test
  void readingAheadReadsTheNextEpochWhileOneTrainsAndYieldsTheSameBatches() {
    List<List<Content>> expected = new ArrayList<>();
    try (KafkaBatchSource plain = source(7, WHOLE, 1)) {
      for (int epoch = 1; epoch <= 3; epoch++) {
        expected.add(contents(plain, epoch));
      }
    }
    Map<String, AtomicInteger> readBy = new ConcurrentHashMap<>();
    try (KafkaBatchSource ahead =
        source(7, WHOLE, 1).readingAheadUpTo(3).beforeDecoding(countingBy(readBy))) {
      ahead.startReading(1);
      await().atMost(TIMEOUT).until(() -> read(readBy, 1) == TRAIN);

      for (int epoch = 1; epoch <= 3; epoch++) {
        List<Content> got = new ArrayList<>();
        try (BatchSource.Epoch batches = ahead.epoch(epoch)) {
          got.add(new Content(batches.next()));
          if (epoch < 3) {
            int next = epoch + 1;
            // The whole next epoch is read while six of this one's seven batches are still to
            // train.
            await().atMost(TIMEOUT).until(() -> read(readBy, next) == TRAIN);
          } else {
            assertThat(ours())
                .as("nothing read beyond the last epoch")
                .extracting(Thread::getName)
                .noneMatch(name -> name.equals(PREFETCH_THREAD + 4));
          }
          batches.forEachRemaining(batch -> got.add(new Content(batch)));
        }
        assertThat(got).as("epoch %d", epoch).isEqualTo(expected.get(epoch - 1));
      }
      assertThat(readBy.keySet())
          .as("each epoch read once, by the reader started ahead")
          .containsExactlyInAnyOrder(PREFETCH_THREAD + 1, PREFETCH_THREAD + 2, PREFETCH_THREAD + 3);
      assertThat(readBy.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(TRAIN));
    }
  }

  @Test
  void closingMidEpochStopsTheReaderAndTheEpochReadAheadPromptly() {
    BackgroundFailures failures = new BackgroundFailures();
    Map<String, AtomicInteger> readBy = new ConcurrentHashMap<>();
    KafkaBatchSource source =
        source(7, WHOLE, 1)
            .readingAheadUpTo(3)
            .failingWith(failures)
            .beforeDecoding(countingBy(readBy));
    BatchSource.Epoch epoch = source.epoch(1);
    epoch.next();
    await().atMost(TIMEOUT).until(() -> read(readBy, 2) == TRAIN);
    assertThat(ours())
        .extracting(Thread::getName)
        .contains(PREFETCH_THREAD + 1, PREFETCH_THREAD + 2);

    long start = System.nanoTime();
    epoch.close(); // what the training loop does with an epoch it abandons
    source.close(); // and the run with its source: the epoch read ahead
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);

    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(ours()).isEmpty());
    assertThat(failures.failed()).as("closing is not a failure").isFalse();
  }

  @Test
  void closingWhileAnEpochIsBeingReadStopsItsReaderPromptly() {
    BackgroundFailures failures = new BackgroundFailures();
    CountDownLatch reached = new CountDownLatch(1);
    AtomicInteger read = new AtomicInteger();
    // A slow read: the 10th record holds the reader until it is interrupted.
    KafkaBatchSource source =
        source(7, WHOLE, 2)
            .readingAheadUpTo(1)
            .failingWith(failures)
            .beforeDecoding(
                record -> {
                  if (read.incrementAndGet() == 10) {
                    reached.countDown();
                    awaitQuietly(new CountDownLatch(1));
                  }
                });
    source.startReading(1);
    await().atMost(TIMEOUT).until(() -> reached.getCount() == 0);

    long start = System.nanoTime();
    source.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);

    await().atMost(PROMPTLY).untilAsserted(() -> assertThat(ours()).isEmpty());
    assertThat(read.get()).as("no record read after the close").isEqualTo(10);
    assertThat(failures.failed()).as("closing is not a failure").isFalse();
  }

  @Test
  void anErrorOnTheReaderFailsTrainingWithItsThreadAndCause() {
    BackgroundFailures failures = new BackgroundFailures();
    AtomicInteger read = new AtomicInteger();
    try (KafkaBatchSource source =
            source(7, WHOLE, 2)
                .failingWith(failures)
                .beforeDecoding(
                    record -> {
                      if (read.incrementAndGet() == 20) {
                        throw new OutOfMemoryError("injected by the test");
                      }
                    });
        BatchSource.Epoch epoch = source.epoch(1)) {
      assertThatThrownBy(() -> epoch.forEachRemaining(batch -> {}))
          .isInstanceOf(BackgroundThreadException.class)
          .hasMessage(
              PREFETCH_THREAD + "1 failed: java.lang.OutOfMemoryError: injected by the test")
          .hasCauseInstanceOf(OutOfMemoryError.class);
      assertThat(failures.failed()).isTrue();
    }
  }

  @Test
  void aFailureReadingTheNextEpochStopsTrainingAtTheNextBatch() {
    BackgroundFailures failures = new BackgroundFailures();
    try (KafkaBatchSource source =
            source(7, WHOLE, 1)
                .readingAheadUpTo(2)
                .failingWith(failures)
                .beforeDecoding(
                    record -> {
                      if (Thread.currentThread().getName().equals(PREFETCH_THREAD + 2)) {
                        throw new IllegalStateException("epoch 2 cannot be read");
                      }
                    });
        BatchSource.Epoch epoch = source.epoch(1)) {
      epoch.next();
      await().atMost(TIMEOUT).until(failures::failed);

      assertThatThrownBy(epoch::next)
          .isInstanceOf(BackgroundThreadException.class)
          .hasMessage(
              PREFETCH_THREAD
                  + "2 failed: java.lang.IllegalStateException: epoch 2 cannot be read");
    }
  }

  @Test
  void aReaderThatEndsWithoutAWordFailsTrainingInsteadOfLeavingItWaiting() {
    Map<String, AtomicInteger> readBy = new ConcurrentHashMap<>();
    try (KafkaBatchSource source = source(7, WHOLE, 1).beforeDecoding(countingBy(readBy));
        BatchSource.Epoch epoch = source.epoch(1)) {
      await().atMost(TIMEOUT).until(() -> read(readBy, 1) == TRAIN);
      Thread reader =
          ours().stream()
              .filter(t -> t.getName().equals(PREFETCH_THREAD + 1))
              .findFirst()
              .orElseThrow();
      // Read, shuffled and blocked handing over its second batch (the queue holds one).
      await().atMost(TIMEOUT).until(() -> reader.getState() == Thread.State.WAITING);
      reader.interrupt();

      assertThatThrownBy(() -> epoch.forEachRemaining(batch -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(PREFETCH_THREAD + "1 ended without handing over the epoch's batches");
    }
  }

  @Test
  void unreadIsTheConsumerLagOfTheEpochAndZeroAtItsEnd() {
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger read = new AtomicInteger();
    KafkaBatchSource[] holder = new KafkaBatchSource[1];
    try (KafkaBatchSource source =
        source(7, WHOLE, 2)
            .beforeDecoding(
                record -> {
                  seen.add(holder[0].unread());
                  if (read.incrementAndGet() == 10) {
                    reached.countDown();
                    awaitQuietly(release);
                  }
                })) {
      holder[0] = source;
      assertThat(source.unread()).isZero();
      try (BatchSource.Epoch epoch = source.epoch(1)) {
        await().atMost(TIMEOUT).until(() -> reached.getCount() == 0);
        assertThat(source.unread()).as("while the 10th record is decoded").isEqualTo(TRAIN - 10);
        release.countDown();
        epoch.forEachRemaining(batch -> {});
      }
      assertThat(source.unread()).isZero();
      assertThat(seen).containsExactlyElementsOf(countdown());

      seen.clear();
      try (BatchSource.Epoch epoch = source.epoch(2)) {
        epoch.forEachRemaining(batch -> {});
      }
      assertThat(seen).as("every epoch counts down again").containsExactlyElementsOf(countdown());
      assertThat(source.unread()).isZero();
    }
  }

  /** What the training thread sees of a batch: its samples in order, and a digest of its pixels. */
  private record Content(List<Long> indices, int features, int labels) {
    Content(Batch batch) {
      this(
          Arrays.stream(batch.indices()).boxed().toList(),
          Arrays.hashCode(batch.features().dup().data().asFloat()),
          Arrays.hashCode(batch.randomLabels().get(0).dup().data().asFloat()));
    }
  }

  /** Over the two partitions, with crops and flips so that each epoch's pixels differ too. */
  private static KafkaBatchSource source(long seed, int shuffleCapacity, int prefetch) {
    return new KafkaBatchSource(
        client(),
        ranges,
        TRAIN,
        BATCH,
        seed,
        shuffleCapacity,
        prefetch,
        new Augmenter(2, true, seed),
        SHAPE.assembler(DataType.FLOAT),
        SampleDecoder.skippingInvalid(SHAPE));
  }

  private static List<Content> contents(KafkaBatchSource source, int epoch) {
    List<Content> contents = new ArrayList<>();
    try (BatchSource.Epoch batches = source.epoch(epoch)) {
      batches.forEachRemaining(batch -> contents.add(new Content(batch)));
    }
    return contents;
  }

  private static List<Long> indices(List<Content> contents) {
    return contents.stream().flatMap(content -> content.indices().stream()).toList();
  }

  /** unread() as each record of an epoch is handed on: 63, 62, … 0. */
  private static List<Long> countdown() {
    return LongStream.range(0, TRAIN).map(i -> TRAIN - 1 - i).boxed().toList();
  }

  /** Counts the records each reader thread hands on, by thread name. */
  private static Consumer<ConsumerRecord<byte[], byte[]>> countingBy(
      Map<String, AtomicInteger> readBy) {
    return record ->
        readBy
            .computeIfAbsent(Thread.currentThread().getName(), name -> new AtomicInteger())
            .incrementAndGet();
  }

  private static int read(Map<String, AtomicInteger> readBy, int epoch) {
    AtomicInteger count = readBy.get(PREFETCH_THREAD + epoch);
    return count == null ? 0 : count.get();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Thread> prefetchThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith(PREFETCH_THREAD))
        .toList();
  }

  /** The live prefetch threads this test started. */
  private List<Thread> ours() {
    return prefetchThreads().stream().filter(thread -> !before.contains(thread)).toList();
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
