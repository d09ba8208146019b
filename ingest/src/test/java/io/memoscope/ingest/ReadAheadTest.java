package io.memoscope.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  /** A generated data set that counts what it handed out and whether a read is still going on. */
  private static final class Counted implements OpenedDataset {
    final Map<Split, Integer> counts;
    final int pixels;
    final AtomicLong given = new AtomicLong();
    volatile boolean reading;
    volatile int failAt = -1;
    volatile RuntimeException failure;
    volatile Split readOn;

    Counted(int train, int test, int pixels) {
      this.counts = Map.of(Split.train, train, Split.test, test);
      this.pixels = pixels;
    }

    @Override
    public ImageShape shape() {
      return new ImageShape(1, pixels, 1);
    }

    @Override
    public List<String> classNames() {
      return List.of("a", "b");
    }

    @Override
    public long count(Split split) {
      return counts.get(split);
    }

    @Override
    public void read(Split split, SampleSink sink) {
      reading = true;
      try {
        for (int i = 0; i < counts.get(split); i++) {
          if (split == Split.test && i == failAt) {
            throw failure;
          }
          byte[] image = new byte[pixels];
          image[0] = (byte) i;
          given.incrementAndGet();
          if (!sink.accept(new RawSample(i, i % 2, image))) {
            return;
          }
        }
      } finally {
        reading = false;
      }
    }

    @Override
    public void close() {}
  }

  private static Map<Split, Long> wanted(long train, long test) {
    Map<Split, Long> wanted = new EnumMap<>(Split.class);
    wanted.put(Split.train, train);
    wanted.put(Split.test, test);
    return wanted;
  }

  private static List<Long> indices(Iterator<RawSample> samples) {
    List<Long> indices = new ArrayList<>();
    samples.forEachRemaining(s -> indices.add(s.index()));
    return indices;
  }

  @Test
  void handsOverEverySampleOfEachSplitInOrderAcrossManyChunks() {
    int train = 3 * ReadAhead.CHUNK_SAMPLES + 17;
    Counted data = new Counted(train, 5, 3);
    try (ReadAhead readAhead = new ReadAhead(data, wanted(train, 5), "test-reader")) {
      List<Long> trainIndices = indices(readAhead.samples(Split.train));
      List<Long> testIndices = indices(readAhead.samples(Split.test));
      assertThat(trainIndices).hasSize(train);
      for (int i = 0; i < train; i++) {
        assertThat(trainIndices.get(i)).isEqualTo(i);
      }
      assertThat(testIndices).containsExactly(0L, 1L, 2L, 3L, 4L);
    }
  }

  @Test
  void chunksAreBoundedByBytesToo() {
    // Images of 300 KiB: a chunk closes after 4 of them, not after CHUNK_SAMPLES.
    Counted data = new Counted(9, 0, 300 * 1024);
    try (ReadAhead readAhead = new ReadAhead(data, wanted(9, 0), "test-reader")) {
      assertThat(indices(readAhead.samples(Split.train))).hasSize(9);
      assertThat(indices(readAhead.samples(Split.test))).isEmpty();
    }
  }

  @Test
  void stopsEachSplitAtItsCount() {
    Counted data = new Counted(100, 100, 1);
    try (ReadAhead readAhead = new ReadAhead(data, wanted(10, 0), "test-reader")) {
      assertThat(indices(readAhead.samples(Split.train))).hasSize(10);
      assertThat(indices(readAhead.samples(Split.test))).isEmpty();
    }
    assertThat(data.given.get()).isEqualTo(10);
  }

  @Test
  void aSourceFailureArrivesAsItselfAfterTheSamplesBeforeIt() {
    Counted data = new Counted(20, 20, 1);
    data.failAt = 7;
    data.failure = new SourceException("test-images: truncated at image 7");
    try (ReadAhead readAhead = new ReadAhead(data, wanted(20, 20), "test-reader")) {
      assertThat(indices(readAhead.samples(Split.train))).hasSize(20);
      Iterator<RawSample> test = readAhead.samples(Split.test);
      for (int i = 0; i < 7; i++) {
        assertThat(test.next().index()).isEqualTo(i);
      }
      assertThatThrownBy(test::hasNext).isSameAs(data.failure);
    }
  }

  @Test
  void closeStopsAReaderThatIsAheadAndWaitsForIt() {
    // Far more than fits ahead: the reader blocks once CHUNKS_AHEAD chunks wait.
    int many = (ReadAhead.CHUNKS_AHEAD + 10) * ReadAhead.CHUNK_SAMPLES;
    Counted data = new Counted(many, many, 1);
    ReadAhead readAhead = new ReadAhead(data, wanted(many, many), "test-reader");
    Iterator<RawSample> train = readAhead.samples(Split.train);
    assertThat(train.next().index()).isZero();

    readAhead.close();

    assertThat(data.reading).isFalse();
    long given = data.given.get();
    assertThat(given).isLessThan(2L * many);
    assertThat(data.given.get()).isEqualTo(given);
  }
}
