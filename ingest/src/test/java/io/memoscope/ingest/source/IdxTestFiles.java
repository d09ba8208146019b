package io.memoscope.ingest.source;

import io.memoscope.protocol.avro.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small IDX data sets for tests. Pixels are a hash of (split, image, offset), so they look
 * random (gzip cannot shrink them much, which puts a cut gzip file's end inside the image data) and
 * any test can compute what a pixel should be.
 */
final class IdxTestFiles {

  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;

  /** Non-square, so that mixing up rows and columns shows. */
  static final int ROWS = 4;

  static final int COLS = 3;
  static final int TRAIN = 12;
  static final int TEST = 5;

  private IdxTestFiles() {}

  /**
   * Writes the four standard-named files of a TRAIN + TEST sample data set, gzipped (".gz") or not.
   */
  static void writeDataset(Path dir, boolean gzip) {
    writeDataset(dir, "", gzip);
  }

  static void writeDataset(Path dir, String prefix, boolean gzip) {
    String gz = gzip ? ".gz" : "";
    write(
        dir.resolve(prefix + "train-images-idx3-ubyte" + gz),
        imagesFile(Split.train, TRAIN, ROWS, COLS),
        gzip);
    write(
        dir.resolve(prefix + "train-labels-idx1-ubyte" + gz),
        labelsFile(labels(Split.train, TRAIN)),
        gzip);
    write(
        dir.resolve(prefix + "t10k-images-idx3-ubyte" + gz),
        imagesFile(Split.test, TEST, ROWS, COLS),
        gzip);
    write(
        dir.resolve(prefix + "t10k-labels-idx1-ubyte" + gz),
        labelsFile(labels(Split.test, TEST)),
        gzip);
  }

  /** Train labels cover 0..9 (so 10 classes by default); test labels are a different sequence. */
  static byte[] labels(Split split, int n) {
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) ((split == Split.train ? 3 * i : 7 * i + 1) % 10);
    }
    return labels;
  }

  static int pixel(Split split, int image, int offset) {
    long h =
        (split.ordinal() + 1) * 0x9E3779B97F4A7C15L
            + image * 0xBF58476D1CE4E5B9L
            + offset * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    h *= 0xD6E8FEB86639B5CBL;
    return (int) (h >>> 56);
  }

  static byte[] image(Split split, int image, int rows, int cols) {
    byte[] pixels = new byte[rows * cols];
    for (int p = 0; p < pixels.length; p++) {
      pixels[p] = (byte) pixel(split, image, p);
    }
    return pixels;
  }

  static byte[] imagesFile(Split split, int n, int rows, int cols) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      data.writeBytes(image(split, i, rows, cols));
    }
    return idx(IMAGES_MAGIC, new int[] {n, rows, cols}, data.toByteArray());
  }

  static byte[] labelsFile(byte[] labels) {
    return idx(LABELS_MAGIC, new int[] {labels.length}, labels);
  }

  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] content, boolean gzip) {
    try {
      return Files.write(file, gzip ? gzip(content) : content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the first {@code bytes} bytes of the file. */
  static void cut(Path file, int bytes) {
    try {
      byte[] content = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(content, bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
