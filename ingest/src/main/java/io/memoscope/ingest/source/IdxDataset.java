package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.protocol.avro.Split;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An opened IDX data set. Labels were read and checked when it was opened; images are streamed from
 * their file on every {@link #read}, one record at a time, so memory does not grow with the data
 * set and train and test may be read concurrently.
 */
final class IdxDataset implements OpenedDataset {

  /** One split: its image file (header checked) and all its labels (range checked). */
  record Part(IdxFile images, byte[] labels) {}

  private final ImageShape shape;
  private final List<String> classNames;
  private final Part train;
  private final Part test;
  private final boolean transpose;
  private volatile boolean closed;

  IdxDataset(List<String> classNames, Part train, Part test, boolean transpose) {
    this.classNames = List.copyOf(classNames);
    this.train = train;
    this.test = test;
    this.transpose = transpose;
    int rows = train.images().dim(1);
    int cols = train.images().dim(2);
    this.shape = transpose ? new ImageShape(cols, rows, 1) : new ImageShape(rows, cols, 1);
  }

  @Override
  public ImageShape shape() {
    return shape;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public long count(Split split) {
    return part(split).images().count();
  }

  @Override
  public void read(Split split, SampleSink sink) {
    if (closed) {
      throw new IllegalStateException("the IDX data set is closed");
    }
    Part part = part(split);
    IdxFile images = part.images();
    int n = images.count();
    int pixels = shape.pixelCount();
    int index = 0;
    try (InputStream in = images.openItems()) {
      // Each sample gets its own array, read into directly: sinks may keep samples (batches,
      // queues) while we read on. A transposed image is read into a scratch array first.
      byte[] scratch = transpose ? new byte[pixels] : null;
      for (; index < n; index++) {
        byte[] record = transpose ? scratch : new byte[pixels];
        int got = in.readNBytes(record, 0, pixels);
        if (got < pixels) {
          throw images.truncated(index, got);
        }
        if (!sink.accept(
            new RawSample(
                index, part.labels()[index] & 0xff, transpose ? transposed(record) : record))) {
          return;
        }
      }
      images.checkEnd(in);
    } catch (IOException e) {
      throw IdxFile.unreadable(
          images.path(), "image " + index + " of " + IdxFile.formatCount(n), e);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private Part part(Split split) {
    return switch (split) {
      case train -> train;
      case test -> test;
    };
  }

  private byte[] transposed(byte[] record) {
    int rows = shape.width();
    int cols = shape.height();
    byte[] out = new byte[record.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = record[r * cols + c];
      }
    }
    return out;
  }
}
