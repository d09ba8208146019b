package io.memoscope.ingest;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small in-memory data set of 2x2 grey images for pipeline tests; it can be told to fail after a
 * number of test images, as a source that discovers bad data half-way does.
 */
final class ListDataset implements OpenedDataset {

  static final ImageShape SHAPE = new ImageShape(2, 2, 1);

  private final Map<Split, List<RawSample>> samples;
  private final long failAfterTestSamples;

  private ListDataset(Map<Split, List<RawSample>> samples, long failAfterTestSamples) {
    this.samples = samples;
    this.failAfterTestSamples = failAfterTestSamples;
  }

  static ListDataset of(int train, int test) {
    return new ListDataset(
        Map.of(Split.train, generate(train, 0), Split.test, generate(test, 100)), Long.MAX_VALUE);
  }

  ListDataset failingAfterTestSamples(long n) {
    return new ListDataset(samples, n);
  }

  private static List<RawSample> generate(int count, int salt) {
    List<RawSample> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte b = (byte) (i + salt);
      list.add(new RawSample(i, i % 3, new byte[] {b, (byte) (b + 1), (byte) (b + 2), (byte) 255}));
    }
    return list;
  }

  List<RawSample> get(Split split) {
    return samples.get(split);
  }

  @Override
  public ImageShape shape() {
    return SHAPE;
  }

  @Override
  public List<String> classNames() {
    return List.of("zero", "one", "two");
  }

  @Override
  public long count(Split split) {
    return samples.get(split).size();
  }

  @Override
  public void read(Split split, SampleSink sink) {
    long given = 0;
    for (RawSample sample : samples.get(split)) {
      if (split == Split.test && given == failAfterTestSamples) {
        throw new SourceException("test-images: truncated at image " + given);
      }
      given++;
      if (!sink.accept(sample)) {
        return;
      }
    }
  }

  @Override
  public void close() {}
}
