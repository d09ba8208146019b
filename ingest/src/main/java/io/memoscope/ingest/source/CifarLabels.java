package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Which label byte of a CIFAR record is the class, and what the classes are called.
 *
 * @param offset position of the label byte within the record
 * @param namesFile the file next to the data that names the classes, one per line, if present
 * @param defaultNames the names used without that file; their count is the number of classes
 */
record CifarLabels(int offset, String namesFile, List<String> defaultNames) {

  static final String OPTION = "labels";

  static final List<String> CIFAR_10_CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** CIFAR-10 has one label; CIFAR-100 a coarse (20 superclasses) then a fine (100 classes) one. */
  static CifarLabels of(CifarLayout.Variant variant, Optional<String> option) {
    if (variant == CifarLayout.Variant.CIFAR_10) {
      if (option.isPresent()) {
        throw new SourceException(
            "option "
                + OPTION
                + ": CIFAR-10 has one kind of label; "
                + OPTION
                + " (fine or coarse) is for CIFAR-100 only");
      }
      return new CifarLabels(0, "batches.meta.txt", CIFAR_10_CLASSES);
    }
    return switch (option.orElse("fine").trim()) {
      case "fine" -> new CifarLabels(1, "fine_label_names.txt", numbers(100));
      case "coarse" -> new CifarLabels(0, "coarse_label_names.txt", numbers(20));
      default ->
          throw new SourceException(
              "option " + OPTION + ": '" + option.get() + "' is neither fine nor coarse");
    };
  }

  int classes() {
    return defaultNames.size();
  }

  /**
   * The names from {@link #namesFile} in {@code dir} if it is there (blank lines skipped), else the
   * defaults.
   */
  List<String> classNames(Path dir) {
    Path file = dir.resolve(namesFile);
    if (!Files.isRegularFile(file)) {
      return defaultNames;
    }
    List<String> names;
    try {
      names =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
    } catch (IOException e) {
      throw new SourceException(namesFile + ": cannot read (" + e + ")", e);
    }
    if (names.size() != classes()) {
      throw new SourceException(
          namesFile + ": " + names.size() + " class names, expected " + classes());
    }
    return names;
  }

  private static List<String> numbers(int n) {
    return IntStream.range(0, n).mapToObj(Integer::toString).toList();
  }
}
