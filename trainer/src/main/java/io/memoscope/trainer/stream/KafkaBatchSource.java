package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.Batch;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.train.BatchSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training batches streamed from a run's offset ranges. Per epoch a prefetch thread reads the
 * ranges (deterministic partition interleaving), decodes (bad records to the dead letters),
 * shuffles with a buffer seeded by (seed, epoch), augments and assembles batches into a bounded
 * queue, so the network never waits on Kafka and memory stays bounded whatever the data set size.
 *
 * <p>Whatever the reader throws, an {@link Error} included, reaches training: the reader reports it
 * to the run's {@link BackgroundFailures}, and the training thread, which checks those before each
 * batch and while it waits for one, fails with it. A reader that ended without a word fails it too,
 * so training never waits forever.
 */
public final class KafkaBatchSource implements BatchSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaBatchSource.class);

  private static final Object END = new Object();

  /** Handed over by a reader that failed: the cause is in {@link #failures}. */
  private static final Object FAILED = new Object();

  /** How long training waits for a batch before it looks at the run's background failures again. */
  private static final long CHECK_MILLIS = 100;

  private final Map<String, Object> clientConfig;
  private final List<TopicRange> ranges;
  private final long samplesPerEpoch;
  private final int batchSize;
  private final long seed;
  private final int shuffleCapacity;
  private final int prefetch;
  private final Augmenter augmenter;
  private final BatchAssembler assembler;
  private final SampleDecoder decoder;
  private BrokerWaits waits = BrokerWaits.NONE;
  private BackgroundFailures failures = new BackgroundFailures();
  private Consumer<ConsumerRecord<byte[], byte[]>> beforeDecoding = record -> {};
  private final AtomicLong unread = new AtomicLong();
  private final AtomicLong waitedNanos = new AtomicLong();
  private int lastEpoch;
  private Reading ahead;

  public KafkaBatchSource(
      Map<String, Object> clientConfig,
      List<TopicRange> ranges,
      long samplesPerEpoch,
      int batchSize,
      long seed,
      int shuffleCapacity,
      int prefetch,
      Augmenter augmenter,
      BatchAssembler assembler,
      SampleDecoder decoder) {
    this.clientConfig = clientConfig;
    this.ranges = List.copyOf(ranges);
    this.samplesPerEpoch = samplesPerEpoch;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffleCapacity = shuffleCapacity;
    this.prefetch = prefetch;
    this.augmenter = augmenter;
    this.assembler = assembler;
    this.decoder = decoder;
  }

  /** Who hears about broker outages while an epoch is read. */
  public KafkaBatchSource reportingTo(BrokerWaits brokerWaits) {
    this.waits = brokerWaits;
    return this;
  }

  /** Where the reader threads report a failure, and what training checks before each batch. */
  KafkaBatchSource failingWith(BackgroundFailures runFailures) {
    this.failures = runFailures;
    return this;
  }

  /**
   * Shown each record before it is decoded, on the reader thread (a test makes that thread fail).
   */
  KafkaBatchSource beforeDecoding(Consumer<ConsumerRecord<byte[], byte[]>> look) {
    this.beforeDecoding = look;
    return this;
  }

  /**
   * Records of the epoch being read that the consumer has not handed on yet: the run's consumer
   * lag.
   */
  public long unread() {
    return unread.get();
  }

  /**
   * Seconds training spent waiting for a batch, the start of each epoch included; ideally close to
   * 0.
   */
  public double waitedSeconds() {
    return waitedNanos.get() / 1e9;
  }

  @Override
  public long batchesPerEpoch() {
    return (samplesPerEpoch + batchSize - 1) / batchSize;
  }

  /**
   * Lets the reader of epoch {@code e + 1} start as soon as epoch {@code e} has been read, for
   * every epoch up to {@code lastEpoch} (an epoch {@code e} that was itself read ahead, once
   * training has asked for it: one epoch ahead at most): with a whole-data-set shuffle buffer an
   * epoch's first batch needs the whole epoch read, and that now happens while the previous epoch's
   * last batches train. Two epochs' buffers can then be held at once.
   */
  public KafkaBatchSource readingAheadUpTo(int lastEpoch) {
    this.lastEpoch = lastEpoch;
    return this;
  }

  /**
   * Starts reading {@code epoch} now, before training asks for it (e.g. while the model is being
   * built), so its first batch is ready sooner.
   */
  public void startReading(int epoch) {
    readAhead(epoch);
  }

  @Override
  public synchronized Epoch epoch(int epoch) {
    if (ahead != null && ahead.epoch == epoch) {
      Reading started = ahead;
      ahead = null;
      if (started.read.get()) {
        // Its reader finished before training asked for it, while it still waited here: the next
        // epoch was not started then (one epoch ahead at most), so it starts now.
        readAhead(epoch + 1);
      }
      return started;
    }
    closeAhead();
    return new Reading(epoch);
  }

  /** Stops an epoch read ahead that will not be trained (the run failed or stopped early). */
  @Override
  public synchronized void close() {
    closeAhead();
  }

  private void closeAhead() {
    if (ahead != null) {
      ahead.close();
      ahead = null;
    }
  }

  private synchronized void readAhead(int epoch) {
    if (epoch <= lastEpoch && ahead == null) {
      ahead = new Reading(epoch);
    }
  }

  /** One epoch's reader thread and the bounded queue of batches it fills. */
  private final class Reading implements Epoch {
    private final int epoch;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
    private final AtomicBoolean stop = new AtomicBoolean();

    /** Set by the reader once the epoch's records are all read. */
    private final AtomicBoolean read = new AtomicBoolean();

    private final Thread reader;
    private Object next;

    Reading(int epoch) {
      this.epoch = epoch;
      String name = "memoscope-prefetch-epoch-" + epoch;
      this.reader = new Thread(() -> produce(name, epoch, queue, stop, read), name);
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = take(queue, reader);
      }
      return next != END;
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Batch batch = (Batch) next;
      next = null;
      return batch;
    }

    @Override
    public void close() {
      stop.set(true);
      reader.interrupt();
      try {
        reader.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void produce(
      String thread,
      int epoch,
      BlockingQueue<Object> queue,
      AtomicBoolean stop,
      AtomicBoolean read) {
    try {
      List<SampleView> pending = new ArrayList<>(batchSize);
      ShuffleBuffer<SampleView> shuffle =
          new ShuffleBuffer<>(
              shuffleCapacity,
              seed * 1_000_003L + epoch,
              view -> {
                pending.add(augmenter.apply(view, epoch));
                if (pending.size() == batchSize) {
                  put(queue, assembler.assemble(pending));
                  pending.clear();
                }
              });
      unread.set(samplesPerEpoch);
      long readStart = System.nanoTime();
      // A fresh pass each epoch: the same records in the same order give the same verdicts.
      SampleDecoder.Pass pass = decoder.pass();
      new RangeReader(clientConfig, ranges, Duration.ofMillis(200), waits)
          .read(
              record -> {
                unread.decrementAndGet();
                beforeDecoding.accept(record);
                pass.decode(record).ifPresent(shuffle::add);
              },
              stop::get);
      unread.set(0);
      log.debug(
          "epoch {}: {} records read and decoded in {} ms",
          epoch,
          samplesPerEpoch,
          (System.nanoTime() - readStart) / 1_000_000);
      if (!stop.get()) {
        read.set(true);
        readAhead(epoch + 1);
      }
      shuffle.flush();
      if (!pending.isEmpty()) {
        put(queue, assembler.assemble(pending));
      }
      put(queue, END);
    } catch (StopReading e) {
      // closed early: nothing more to hand over
    } catch (Throwable e) {
      if (stop.get()) {
        return; // closed early: an interrupted read, not a failure
      }
      failures.report(thread, e);
      queue.clear(); // frees the batches (the memory an OutOfMemoryError wants) and makes room
      queue.offer(FAILED);
    }
  }

  private static void put(BlockingQueue<Object> queue, Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StopReading();
    }
  }

  /**
   * The reader's next item. Every call looks at the run's background failures first (the event and
   * dead-letter senders' too, so any of them stops training within a step), and a wait is bounded
   * so that it looks again.
   */
  private Object take(BlockingQueue<Object> queue, Thread reader) {
    failures.throwIfAny();
    Object ready = queue.poll();
    if (ready != null) {
      return checked(ready);
    }
    long start = System.nanoTime();
    try {
      while (true) {
        ready = queue.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (ready != null) {
          return checked(ready);
        }
        failures.throwIfAny();
        if (!reader.isAlive() && queue.isEmpty()) {
          throw new IllegalStateException(
              reader.getName() + " ended without handing over the epoch's batches");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next batch", e);
    } finally {
      waitedNanos.addAndGet(System.nanoTime() - start);
    }
  }

  private Object checked(Object item) {
    if (item == FAILED) {
      failures.throwIfAny();
    }
    return item;
  }

  /** The epoch was closed while the reader was handing over batches. */
  private static final class StopReading extends RuntimeException {
    StopReading() {
      super(null, null, false, false);
    }
  }
}
