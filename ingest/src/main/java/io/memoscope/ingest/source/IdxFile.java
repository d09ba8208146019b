package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file (the MNIST format), plain or gzipped: its checked header and a way to stream the
 * items that follow it. An IDX file is a big-endian header — magic {@code 0x0000TTDD} with type TT
 * ({@code 08} = unsigned byte) and DD dimensions, then DD 32-bit sizes — followed by the items,
 * row-major.
 */
final class IdxFile {

  /** The two IDX kinds MNIST-style data sets use. */
  enum Kind {
    IMAGES(0x00000803, "image"),
    LABELS(0x00000801, "label");

    final int magic;
    final String noun;

    Kind(int magic, String noun) {
      this.magic = magic;
      this.noun = noun;
    }

    int dimensions() {
      return magic & 0xff;
    }
  }

  private static final int BUFFER_BYTES = 1 << 16;

  private final Path path;
  private final Kind kind;
  private final boolean gzipped;
  private final int[] dims;

  private IdxFile(Path path, Kind kind, boolean gzipped, int[] dims) {
    this.path = path;
    this.kind = kind;
    this.gzipped = gzipped;
    this.dims = dims;
  }

  /**
   * Reads and checks the header. A plain file's size is checked against it too; a gzipped file's
   * can only be checked while it is read, by {@link #readAll} or the caller of {@link #openItems}.
   */
  static IdxFile open(Path path, Kind kind) {
    boolean gzipped = isGzip(path);
    int[] dims = new int[kind.dimensions()];
    try (InputStream in = stream(path, gzipped)) {
      int magic = readInt(in, path, kind, 0);
      if (magic != kind.magic) {
        throw new SourceException(
            String.format(
                Locale.ROOT,
                "%s: not an IDX %s file (magic 0x%08x, expected 0x%08x)",
                path.getFileName(),
                kind.noun,
                magic,
                kind.magic));
      }
      for (int d = 0; d < dims.length; d++) {
        dims[d] = readInt(in, path, kind, d + 1);
        if (dims[d] < 1) {
          throw new SourceException(
              path.getFileName()
                  + ": dimension "
                  + (d + 1)
                  + " of the header is "
                  + dims[d]
                  + ", must be at least 1");
        }
      }
    } catch (IOException e) {
      throw unreadable(path, "the header", e);
    }
    IdxFile file = new IdxFile(path, kind, gzipped, dims);
    if (!gzipped) {
      file.checkPlainSize();
    }
    return file;
  }

  Path path() {
    return path;
  }

  String name() {
    return path.getFileName().toString();
  }

  /** The first dimension: how many images or labels the file holds. */
  int count() {
    return dims[0];
  }

  /** Size of dimension {@code d} (0 is the count). */
  int dim(int d) {
    return dims[d];
  }

  /** Bytes of one item: the product of the dimensions after the first. */
  long itemBytes() {
    long bytes = 1;
    for (int d = 1; d < dims.length; d++) {
      bytes *= dims[d];
    }
    return bytes;
  }

  /** Opens the file (decompressing if needed), positioned at its first item. */
  InputStream openItems() throws IOException {
    InputStream in = stream(path, gzipped);
    try {
      in.skipNBytes(headerBytes());
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads all items at once; for label files, which are small. */
  byte[] readAll() {
    long bytes = count() * itemBytes();
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new SourceException(
          name()
              + ": "
              + formatCount(bytes)
              + " bytes of "
              + kind.noun
              + "s are too many to hold in memory");
    }
    try (InputStream in = openItems()) {
      byte[] items = in.readNBytes((int) bytes);
      if (items.length < bytes) {
        throw truncated(items.length / itemBytes(), items.length % itemBytes());
      }
      checkEnd(in);
      return items;
    } catch (IOException e) {
      throw unreadable(path, "the " + kind.noun + "s", e);
    }
  }

  /**
   * The error for a file that ended inside item {@code item}, after {@code partialBytes} of it. The
   * sizes are those of the uncompressed content.
   */
  SourceException truncated(long item, long partialBytes) {
    long expected = headerBytes() + count() * itemBytes();
    long found = headerBytes() + item * itemBytes() + partialBytes;
    return new SourceException(
        name()
            + ": truncated at "
            + kind.noun
            + " "
            + item
            + " of "
            + formatCount(count())
            + ": "
            + formatCount(expected)
            + " bytes expected"
            + (gzipped ? " uncompressed" : "")
            + ", "
            + formatCount(found)
            + " found");
  }

  /**
   * Fails if anything follows the last item. Reading past it also makes a gzip stream check its
   * CRC, which catches corruption that happened to inflate to the right length.
   */
  void checkEnd(InputStream in) throws IOException {
    if (in.read() == -1) {
      return;
    }
    if (gzipped) {
      // Corrupt deflate data often inflates to too much; the CRC then tells corruption from extra
      // data.
      try {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (ZipException | EOFException e) {
        throw new SourceException(
            name()
                + ": corrupt gzip stream: it inflates to more than the header's "
                + formatCount(count())
                + " "
                + kind.noun
                + "s ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    throw new SourceException(
        name()
            + ": unexpected data after the last "
            + kind.noun
            + " (the header says "
            + formatCount(count())
            + ")");
  }

  /** Turns an I/O failure while reading {@code what} into a one-line error naming the file. */
  static SourceException unreadable(Path path, String what, IOException e) {
    String name = path.getFileName().toString();
    if (e instanceof NoSuchFileException) {
      return new SourceException("missing file: " + path, e);
    }
    if (e instanceof EOFException) {
      return new SourceException(name + ": truncated gzip stream in " + what, e);
    }
    if (e instanceof ZipException) {
      return new SourceException(
          name + ": corrupt gzip stream in " + what + " (" + e.getMessage() + ")", e);
    }
    return new SourceException(name + ": cannot read " + what + " (" + e + ")", e);
  }

  static String formatCount(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private long headerBytes() {
    return 4L + 4L * dims.length;
  }

  private void checkPlainSize() {
    long expected = headerBytes() + count() * itemBytes();
    long found;
    try {
      found = Files.size(path);
    } catch (IOException e) {
      throw unreadable(path, "its size", e);
    }
    if (found < expected) {
      throw new SourceException(
          name()
              + ": truncated: "
              + formatCount(expected)
              + " bytes expected, "
              + formatCount(found)
              + " found");
    }
    if (found > expected) {
      throw new SourceException(
          name()
              + ": "
              + formatCount(expected)
              + " bytes expected from the header, "
              + formatCount(found)
              + " found (unexpected data after the last "
              + kind.noun
              + ")");
    }
  }

  // Sniffing the content rather than trusting a ".gz" suffix: people gunzip and keep names.
  private static boolean isGzip(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    } catch (IOException e) {
      throw unreadable(path, "the header", e);
    }
  }

  private static InputStream stream(Path path, boolean gzipped) throws IOException {
    InputStream raw = Files.newInputStream(path);
    try {
      InputStream in = gzipped ? new GZIPInputStream(raw, BUFFER_BYTES) : raw;
      return new BufferedInputStream(in, BUFFER_BYTES);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static int readInt(InputStream in, Path path, Kind kind, int field) throws IOException {
    byte[] b = in.readNBytes(4);
    if (b.length < 4) {
      long headerBytes = 4L + 4L * kind.dimensions();
      throw new SourceException(
          path.getFileName()
              + ": truncated in the header: "
              + headerBytes
              + " bytes expected, "
              + (4L * field + b.length)
              + " found");
    }
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }
}
