package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.RawSample;
import io.memoscope.protocol.avro.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small CIFAR binary files for tests. Record {@code seed}'s pixels are a hash of (seed,
 * plane, position), so any test can say what a pixel should be.
 */
final class CifarTestFiles {

  static final int PLANE = 32 * 32;

  /** CIFAR-10 train records per batch file: uneven, so that batch boundaries show. */
  static final int[] BATCHES = {3, 1, 4, 2, 2};

  static final int TRAIN_10 = 12;
  static final int TEST_10 = 3;
  static final int TRAIN_100 = 7;
  static final int TEST_100 = 4;

  private CifarTestFiles() {}

  /**
   * Value of colour channel {@code c} at row {@code y}, column {@code x} of record {@code seed}.
   */
  static int pixel(int seed, int c, int y, int x) {
    long h =
        seed * 0x9E3779B97F4A7C15L
            + c * 0xBF58476D1CE4E5B9L
            + (y * 32 + x) * 0x94D049BB133111EBL
            + 1;
    h ^= h >>> 29;
    h *= 0xD6E8FEB86639B5CBL;
    return (int) (h >>> 56);
  }

  /** The three planes R, G, B, each row-major: CIFAR's layout. */
  static byte[] planes(int seed) {
    byte[] planes = new byte[3 * PLANE];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          planes[c * PLANE + y * 32 + x] = (byte) pixel(seed, c, y, x);
        }
      }
    }
    return planes;
  }

  /** The same image as {@link RawSample} carries it: pixels in rows, each pixel R, G, B. */
  static byte[] hwc(int seed) {
    byte[] hwc = new byte[3 * PLANE];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          hwc[(y * 32 + x) * 3 + c] = (byte) pixel(seed, c, y, x);
        }
      }
    }
    return hwc;
  }

  static byte[] record(byte[] labels, byte[] planes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(labels);
    out.writeBytes(planes);
    return out.toByteArray();
  }

  static int label10(Split split, int index) {
    return split == Split.train ? index % 10 : (index * 3 + 1) % 10;
  }

  static int seed(Split split, int index) {
    return split == Split.train ? index : 1000 + index;
  }

  /** CIFAR-10: BATCHES records in data_batch_1.bin … _5.bin, TEST_10 in test_batch.bin. */
  static void writeCifar10(Path dir) {
    int index = 0;
    for (int b = 0; b < BATCHES.length; b++) {
      ByteArrayOutputStream batch = new ByteArrayOutputStream();
      for (int r = 0; r < BATCHES[b]; r++, index++) {
        batch.writeBytes(
            record(
                new byte[] {(byte) label10(Split.train, index)}, planes(seed(Split.train, index))));
      }
      write(dir.resolve("data_batch_" + (b + 1) + ".bin"), batch.toByteArray());
    }
    ByteArrayOutputStream test = new ByteArrayOutputStream();
    for (int i = 0; i < TEST_10; i++) {
      test.writeBytes(
          record(new byte[] {(byte) label10(Split.test, i)}, planes(seed(Split.test, i))));
    }
    write(dir.resolve("test_batch.bin"), test.toByteArray());
  }

  static int coarse(Split split, int index) {
    return (index + (split == Split.test ? 5 : 0)) % 20;
  }

  static int fine(Split split, int index) {
    return (index * 37 + (split == Split.test ? 11 : 0)) % 100;
  }

  /** CIFAR-100: TRAIN_100 records in train.bin, TEST_100 in test.bin. */
  static void writeCifar100(Path dir) {
    for (Split split : Split.values()) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      int n = split == Split.train ? TRAIN_100 : TEST_100;
      for (int i = 0; i < n; i++) {
        file.writeBytes(
            record(
                new byte[] {(byte) coarse(split, i), (byte) fine(split, i)},
                planes(seed(split, i))));
      }
      write(dir.resolve(split == Split.train ? "train.bin" : "test.bin"), file.toByteArray());
    }
  }

  static Path write(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeLines(Path file, String... lines) {
    return write(
        file, (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Overwrites one byte of a file. */
  static void poke(Path file, long position, int value) {
    try {
      byte[] content = Files.readAllBytes(file);
      content[Math.toIntExact(position)] = (byte) value;
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
