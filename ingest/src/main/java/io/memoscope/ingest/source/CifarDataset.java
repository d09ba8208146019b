package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.avro.Split;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * An opened CIFAR data set. A split is its files' records in file order, streamed one record at a
 * time on every {@link #read}; pixels are turned from CIFAR's planes (CHW) into the interleaved HWC
 * order that {@link RawSample} promises.
 */
final class CifarDataset implements OpenedDataset {

  private static final ImageShape SHAPE = new ImageShape(CifarLayout.SIDE, CifarLayout.SIDE, 3);
  private static final int BUFFER_BYTES = 1 << 16;

  private final List<String> classNames;
  private final List<CifarFile> train;
  private final List<CifarFile> test;
  private final int labelOffset;
  private final int labelBytes;
  private volatile boolean closed;

  CifarDataset(
      List<String> classNames,
      List<CifarFile> train,
      List<CifarFile> test,
      int labelOffset,
      int labelBytes) {
    this.classNames = List.copyOf(classNames);
    this.train = List.copyOf(train);
    this.test = List.copyOf(test);
    this.labelOffset = labelOffset;
    this.labelBytes = labelBytes;
  }

  @Override
  public ImageShape shape() {
    return SHAPE;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public long count(Split split) {
    return files(split).stream().mapToLong(CifarFile::records).sum();
  }

  @Override
  public void read(Split split, SampleSink sink) {
    if (closed) {
      throw new IllegalStateException("the CIFAR data set is closed");
    }
    long index = 0;
    for (CifarFile file : files(split)) {
      byte[] record = new byte[file.recordBytes()];
      long r = 0;
      try (InputStream in =
          new BufferedInputStream(Files.newInputStream(file.path()), BUFFER_BYTES)) {
        for (; r < file.records(); r++, index++) {
          if (in.readNBytes(record, 0, record.length) < record.length) {
            throw file.truncatedAt(r);
          }
          int label = record[labelOffset] & 0xff;
          file.checkLabel(r, label, classNames.size());
          if (!sink.accept(new RawSample(index, label, toHwc(record, labelBytes)))) {
            return;
          }
        }
      } catch (IOException e) {
        throw new SourceException(file.name() + ": cannot read record " + r + " (" + e + ")", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private List<CifarFile> files(Split split) {
    return switch (split) {
      case train -> train;
      case test -> test;
    };
  }

  /**
   * Planes R, G, B (each 32x32 row-major) starting at {@code from} → pixels of R, G, B interleaved.
   */
  static byte[] toHwc(byte[] record, int from) {
    byte[] hwc = new byte[CifarLayout.PIXEL_BYTES];
    int g = from + CifarLayout.PLANE_BYTES;
    int b = g + CifarLayout.PLANE_BYTES;
    for (int p = 0, o = 0; p < CifarLayout.PLANE_BYTES; p++, o += 3) {
      hwc[o] = record[from + p];
      hwc[o + 1] = record[g + p];
      hwc[o + 2] = record[b + p];
    }
    return hwc;
  }
}
