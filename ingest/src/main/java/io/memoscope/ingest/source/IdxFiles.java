package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the four IDX files of a data set are: given by an option each, or found in the folder by
 * the names MNIST and its look-alikes use — {@code train-images-idx3-ubyte}, {@code t10k-…} or
 * {@code test-…}, optionally gzipped, optionally with a prefix such as EMNIST's {@code
 * emnist-balanced-}, and {@code .idx3-ubyte} as some re-distributions spell it.
 */
record IdxFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {

  /** One of the four files, with its override option and the names that identify it. */
  enum Role {
    TRAIN_IMAGES("train-images", "train images", "train", "images", 3),
    TRAIN_LABELS("train-labels", "train labels", "train", "labels", 1),
    TEST_IMAGES("test-images", "test images", "(?:t10k|test)", "images", 3),
    TEST_LABELS("test-labels", "test labels", "(?:t10k|test)", "labels", 1);

    final String option;
    final String description;
    private final Pattern pattern;
    private final String expected;

    Role(String option, String description, String splitWord, String kindWord, int dims) {
      this.option = option;
      this.description = description;
      this.pattern =
          Pattern.compile(
              "(.*?)" + splitWord + "-" + kindWord + "[-.]idx" + dims + "-ubyte(\\.gz)?",
              Pattern.CASE_INSENSITIVE);
      String base = kindWord + "-idx" + dims + "-ubyte";
      this.expected =
          splitWord.equals("train")
              ? "train-" + base + "[.gz]"
              : "t10k-" + base + "[.gz] or test-" + base + "[.gz]";
    }

    boolean matches(String fileName) {
      return pattern.matcher(fileName).matches();
    }

    /** What in the name precedes the split word, e.g. {@code emnist-balanced-}. */
    String prefixOf(String fileName) {
      var m = pattern.matcher(fileName);
      return m.matches() ? m.group(1) : "";
    }
  }

  static final String PREFIX = "prefix";

  static IdxFiles find(Path dir, SourceOptions options) {
    Optional<String> prefix = options.get(PREFIX);
    Listing listing = new Listing(dir);
    return new IdxFiles(
        find(Role.TRAIN_IMAGES, dir, options, prefix, listing),
        find(Role.TRAIN_LABELS, dir, options, prefix, listing),
        find(Role.TEST_IMAGES, dir, options, prefix, listing),
        find(Role.TEST_LABELS, dir, options, prefix, listing));
  }

  private static Path find(
      Role role, Path dir, SourceOptions options, Optional<String> prefix, Listing listing) {
    Optional<String> override = options.get(role.option);
    if (override.isPresent()) {
      Path path = dir.resolve(override.get());
      if (!Files.isRegularFile(path)) {
        throw new SourceException("missing file: " + path + " (option " + role.option + ")");
      }
      return path;
    }
    List<String> candidates =
        listing.names().stream()
            .filter(role::matches)
            .filter(name -> prefix.map(name::startsWith).orElse(true))
            .toList();
    if (candidates.isEmpty()) {
      throw new SourceException(
          "missing file: no "
              + role.description
              + " in "
              + dir
              + " (expected "
              + role.expected
              + prefix.map(p -> " starting with " + p).orElse("")
              + ", or set option "
              + role.option
              + ")");
    }
    if (candidates.size() > 1) {
      throw new SourceException(
          "several files could be the "
              + role.description
              + " in "
              + dir
              + ": "
              + String.join(", ", candidates)
              + "; choose one with option "
              + role.option
              + suggestPrefix(role, candidates));
    }
    return dir.resolve(candidates.get(0));
  }

  // EMNIST ships six data sets in one folder; one prefix picks all four files of one of them.
  private static String suggestPrefix(Role role, List<String> candidates) {
    List<String> prefixes = candidates.stream().map(role::prefixOf).distinct().toList();
    if (prefixes.size() < 2) {
      return "";
    }
    String example =
        prefixes.stream().filter(p -> !p.isEmpty()).findFirst().orElse(prefixes.get(0));
    return " or with option " + PREFIX + " (e.g. " + PREFIX + "=" + example + ")";
  }

  /** The folder's file names, read once and only if some file is not given by an option. */
  private static final class Listing {
    private final Path dir;
    private List<String> names;

    Listing(Path dir) {
      this.dir = dir;
    }

    List<String> names() {
      if (names == null) {
        if (!Files.isDirectory(dir)) {
          throw new SourceException("dir " + dir + ": no such directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
          names =
              entries
                  .filter(Files::isRegularFile)
                  .map(p -> p.getFileName().toString())
                  .sorted()
                  .toList();
        } catch (IOException e) {
          throw new SourceException("dir " + dir + ": cannot list (" + e + ")", e);
        }
      }
      return names;
    }
  }
}
