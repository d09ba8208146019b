package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which CIFAR binary variant a folder holds and where its files are: the folder itself, or the
 * subfolder the official archive unpacks to ({@code cifar-10-batches-bin}, {@code
 * cifar-100-binary}).
 */
record CifarLayout(Variant variant, Path dir) {

  /** Images are 32x32 RGB, stored as three 32x32 planes: all red, then all green, then all blue. */
  static final int SIDE = 32;

  static final int PLANE_BYTES = SIDE * SIDE;
  static final int PIXEL_BYTES = 3 * PLANE_BYTES;

  enum Variant {
    CIFAR_10(
        "CIFAR-10",
        "cifar-10-batches-bin",
        List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin"),
        List.of("test_batch.bin"),
        1,
        "data_batch_1.bin … data_batch_5.bin and test_batch.bin"),
    CIFAR_100(
        "CIFAR-100",
        "cifar-100-binary",
        List.of("train.bin"),
        List.of("test.bin"),
        2,
        "train.bin and test.bin");

    final String title;
    final String subfolder;
    final List<String> trainFiles;
    final List<String> testFiles;

    /** Label bytes in front of each record's pixels: CIFAR-100 has a coarse and a fine one. */
    final int labelBytes;

    final String expected;

    Variant(
        String title,
        String subfolder,
        List<String> trainFiles,
        List<String> testFiles,
        int labelBytes,
        String expected) {
      this.title = title;
      this.subfolder = subfolder;
      this.trainFiles = trainFiles;
      this.testFiles = testFiles;
      this.labelBytes = labelBytes;
      this.expected = expected;
    }

    int recordBytes() {
      return labelBytes + PIXEL_BYTES;
    }

    /** Whether any of this variant's data files is in {@code dir}: enough to tell the variant. */
    boolean foundIn(Path dir) {
      return Stream.concat(trainFiles.stream(), testFiles.stream())
          .anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }
  }

  /** Finds the one variant in {@code dir} or its unpacked subfolder; fails if none or both. */
  static CifarLayout find(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new SourceException("dir " + dir + ": no such directory");
    }
    List<CifarLayout> found = new ArrayList<>();
    for (Variant v : Variant.values()) {
      if (v.foundIn(dir)) {
        found.add(new CifarLayout(v, dir));
      }
    }
    if (found.isEmpty()) {
      for (Variant v : Variant.values()) {
        Path sub = dir.resolve(v.subfolder);
        if (v.foundIn(sub)) {
          found.add(new CifarLayout(v, sub));
        }
      }
    }
    if (found.isEmpty()) {
      throw new SourceException(
          "no CIFAR binary files in "
              + dir
              + ": expected "
              + Variant.CIFAR_10.expected
              + " (CIFAR-10) or "
              + Variant.CIFAR_100.expected
              + " (CIFAR-100), there or in its subfolder "
              + Variant.CIFAR_10.subfolder
              + " or "
              + Variant.CIFAR_100.subfolder);
    }
    if (found.size() > 1) {
      throw new SourceException(
          "both CIFAR-10 and CIFAR-100 files found: in "
              + found.get(0).dir()
              + " and "
              + found.get(1).dir()
              + "; point option dir at the folder of one of them");
    }
    return found.get(0);
  }

  List<Path> trainFiles() {
    return resolveAll(variant.trainFiles);
  }

  List<Path> testFiles() {
    return resolveAll(variant.testFiles);
  }

  private List<Path> resolveAll(List<String> names) {
    List<Path> paths = names.stream().map(dir::resolve).toList();
    for (Path path : paths) {
      if (!Files.isRegularFile(path)) {
        throw new SourceException(
            "missing file: " + path + " (" + variant.title + " needs " + variant.expected + ")");
      }
    }
    return paths;
  }
}
