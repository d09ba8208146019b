package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One CIFAR binary file: fixed-size records (label bytes, then the pixel planes) with no header, so
 * the record count follows from the file size.
 */
record CifarFile(Path path, int recordBytes, long records) {

  /** Checks that the file holds whole records, at least one. */
  static CifarFile open(Path path, int recordBytes) {
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new SourceException(path.getFileName() + ": cannot read its size (" + e + ")", e);
    }
    String name = path.getFileName().toString();
    if (size == 0) {
      throw new SourceException(
          name + ": empty, expected records of " + format(recordBytes) + " bytes");
    }
    if (size % recordBytes != 0) {
      throw new SourceException(
          name
              + ": truncated: "
              + format(size)
              + " bytes is not a whole number of "
              + format(recordBytes)
              + "-byte records ("
              + format(size / recordBytes)
              + " records and "
              + format(size % recordBytes)
              + " bytes)");
    }
    return new CifarFile(path, recordBytes, size / recordBytes);
  }

  String name() {
    return path.getFileName().toString();
  }

  /**
   * Checks every record's label byte at {@code offset}. Positional one-byte reads: cheap enough for
   * {@code open()}, and bad labels then fail before anything is sent.
   */
  void checkLabels(int offset, int classes) {
    ByteBuffer label = ByteBuffer.allocate(1);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      for (long r = 0; r < records; r++) {
        label.clear();
        if (channel.read(label, r * recordBytes + offset) < 1) {
          throw truncatedAt(r);
        }
        checkLabel(r, label.get(0) & 0xff, classes);
      }
    } catch (IOException e) {
      throw new SourceException(name() + ": cannot read the labels (" + e + ")", e);
    }
  }

  void checkLabel(long record, int label, int classes) {
    if (label >= classes) {
      throw new SourceException(
          name()
              + ": label "
              + label
              + " of record "
              + record
              + " is out of range [0, "
              + classes
              + ")");
    }
  }

  /** The file got shorter after it was opened. */
  SourceException truncatedAt(long record) {
    return new SourceException(
        name()
            + ": truncated at record "
            + format(record)
            + " of "
            + format(records)
            + " (the file shrank after it was opened)");
  }

  static String format(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
