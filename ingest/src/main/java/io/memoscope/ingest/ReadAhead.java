package io.memoscope.ingest;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a data set's splits on a thread of its own, a bounded distance ahead of the thread that
 * sends them. Decoding an image (e.g. gunzipping an IDX file) then overlaps with encoding and
 * sending the ones before it instead of taking turns with them on one thread.
 *
 * <p>Samples travel in chunks of up to {@value #CHUNK_SAMPLES} samples or {@value #CHUNK_BYTES}
 * pixel bytes, at most {@value #CHUNKS_AHEAD} chunks ahead, so a hand-off costs little per sample
 * and memory does not grow with the data set. Splits are read one after the other, in order, each
 * until the source ends it or its count is reached. A source's exception reaches the consumer as
 * itself, after the samples read before it. {@link #close} stops the reader at its next sample and
 * waits for it, so the data set is not read any more once it returns.
 */
final class ReadAhead implements AutoCloseable {

  static final int CHUNK_SAMPLES = 512;
  static final int CHUNK_BYTES = 1 << 20;
  static final int CHUNKS_AHEAD = 4;

  /**
   * What the reader hands over: samples, the end of a split, or the failure that ended the reading.
   */
  private sealed interface Item permits Chunk, SplitEnd, Failure {}

  private record Chunk(List<RawSample> samples) implements Item {}

  private record SplitEnd(Split split) implements Item {}

  private record Failure(Throwable error) implements Item {}

  /** Thrown inside the source's read to unwind it once the consumer has gone. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
  private final Thread reader;
  private volatile boolean stopped;

  /**
   * @param wanted how many samples to read from each split, in the order to read them; 0 skips it
   */
  ReadAhead(OpenedDataset data, Map<Split, Long> wanted, String name) {
    reader = new Thread(() -> read(data, wanted), name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The split's samples, in the source's order, up to its count; iterate them before asking for the
   * next split. {@code next()} rethrows the source's exception where its reading failed.
   */
  Iterator<RawSample> samples(Split split) {
    return new Iterator<>() {
      private Iterator<RawSample> chunk = List.<RawSample>of().iterator();
      private boolean ended;

      @Override
      public boolean hasNext() {
        while (!chunk.hasNext() && !ended) {
          Item item = take();
          if (item instanceof Chunk c) {
            chunk = c.samples().iterator();
          } else if (item instanceof SplitEnd end) {
            if (end.split() != split) {
              throw new IllegalStateException(
                  "read " + end.split() + " while " + split + " was expected");
            }
            ended = true;
          } else {
            throw rethrow(((Failure) item).error());
          }
        }
        return chunk.hasNext();
      }

      @Override
      public RawSample next() {
        if (!hasNext()) {
          throw new NoSuchElementException(split + " has no more samples");
        }
        return chunk.next();
      }
    };
  }

  /** Stops the reader (if it is still reading) and waits until it has left the data set. */
  @Override
  public void close() {
    stopped = true;
    queue.clear();
    reader.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        reader.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void read(OpenedDataset data, Map<Split, Long> wanted) {
    try {
      for (Map.Entry<Split, Long> entry : wanted.entrySet()) {
        long want = entry.getValue();
        if (want > 0) {
          readSplit(data, entry.getKey(), want);
        }
        put(new SplitEnd(entry.getKey()));
      }
    } catch (Stopped e) {
      // The consumer has gone; nobody waits for anything more.
    } catch (Throwable e) {
      if (!stopped) {
        try {
          put(new Failure(e));
        } catch (Stopped ignored) {
          // The consumer went while we were failing.
        }
      }
    }
  }

  private void readSplit(OpenedDataset data, Split split, long want) {
    Collector collector = new Collector(want);
    try {
      data.read(split, collector);
    } catch (Stopped e) {
      throw e;
    } catch (RuntimeException | Error e) {
      collector.handOver(); // the samples before the failure come first, as they would without
      // read-ahead
      throw e;
    }
    collector.handOver();
  }

  /** The source's sink on the reader thread: gathers samples into chunks and hands them over. */
  private final class Collector implements SampleSink {
    private final long want;
    private long read;
    private List<RawSample> chunk = new ArrayList<>(CHUNK_SAMPLES);
    private long chunkBytes;

    Collector(long want) {
      this.want = want;
    }

    @Override
    public boolean accept(RawSample sample) {
      if (stopped) {
        throw new Stopped();
      }
      chunk.add(sample);
      chunkBytes += sample.pixels() == null ? 0 : sample.pixels().length;
      if (chunk.size() >= CHUNK_SAMPLES || chunkBytes >= CHUNK_BYTES) {
        handOver();
      }
      return ++read < want;
    }

    void handOver() {
      if (!chunk.isEmpty()) {
        put(new Chunk(chunk));
        chunk = new ArrayList<>(CHUNK_SAMPLES);
        chunkBytes = 0;
      }
    }
  }

  private void put(Item item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      throw new Stopped();
    }
    if (stopped) {
      queue.clear();
      throw new Stopped();
    }
  }

  private Item take() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted: nothing was committed");
    }
  }

  private static RuntimeException rethrow(Throwable error) {
    if (error instanceof RuntimeException e) {
      throw e;
    }
    if (error instanceof Error e) {
      throw e;
    }
    throw new IngestException("reading the data set failed: " + error, error);
  }
}
