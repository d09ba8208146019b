package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.avro.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of a folder tree {@code root/<split>/<class>/<image>} and their labels.
 *
 * <p>Class names are the union of the class folders under {@code train} and {@code test}, sorted by
 * {@link String#compareTo} (case-sensitive, independent of the default locale; for ordinary names
 * the same order as Python's {@code sorted}, so labels match torchvision's ImageFolder); a label is
 * a position in that list, and an empty class folder still takes one. Within a split, images go by
 * label, then by file name in the same order ({@code 10.png} before {@code 9.png}). Hidden entries
 * (name starting with '.'), files that are not PNG or JPEG, files directly under a split folder and
 * anything deeper than a class folder are ignored.
 */
record FolderTree(Path root, List<String> classNames, Map<Split, List<FolderFile>> files) {

  private static final Logger log = LoggerFactory.getLogger(FolderTree.class);
  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

  static FolderTree scan(Path root) {
    if (!Files.isDirectory(root)) {
      throw new SourceException(
          root + ": not a directory (option dir: the folder holding train/ and test/)");
    }
    TreeSet<String> union = new TreeSet<>();
    for (Split split : Split.values()) {
      Path folder = splitFolder(root, split);
      if (!Files.isDirectory(folder)) {
        throw new SourceException(
            folder
                + ": missing: the folder source reads images from train/<class>/ and "
                + "test/<class>/ under "
                + root);
      }
      union.addAll(visible(folder, Files::isDirectory));
    }
    List<String> classNames = List.copyOf(union);

    Map<Split, List<FolderFile>> files = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      List<FolderFile> images = new ArrayList<>();
      for (int label = 0; label < classNames.size(); label++) {
        Path classFolder = splitFolder(root, split).resolve(classNames.get(label));
        if (Files.isDirectory(classFolder)) {
          for (String name : visible(classFolder, FolderTree::isImage)) {
            images.add(new FolderFile(classFolder.resolve(name), label));
          }
        }
      }
      files.put(split, List.copyOf(images));
    }
    warnAboutTestOnlyClasses(classNames, files);
    if (files.get(Split.train).isEmpty()) {
      throw new SourceException(
          splitFolder(root, Split.train)
              + ": no images: expected <class>/<name>.png|jpg|jpeg in it");
    }
    return new FolderTree(root, classNames, Map.copyOf(files));
  }

  static Path splitFolder(Path root, Split split) {
    return root.resolve(split.name());
  }

  /**
   * A class with test images but no train images is kept: its label exists, and test accuracy will
   * show that nothing could learn it. It is worth a warning, because it is more often a misspelt or
   * forgotten folder than intended.
   */
  private static void warnAboutTestOnlyClasses(
      List<String> classNames, Map<Split, List<FolderFile>> files) {
    Set<Integer> trained = new HashSet<>();
    files.get(Split.train).forEach(file -> trained.add(file.label()));
    List<String> testOnly =
        files.get(Split.test).stream()
            .map(FolderFile::label)
            .distinct()
            .filter(label -> !trained.contains(label))
            .map(classNames::get)
            .toList();
    if (!testOnly.isEmpty()) {
      log.warn(
          "classes with test images but no train images (nothing can learn them): {}", testOnly);
    }
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0
        && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
        && Files.isRegularFile(file);
  }

  /** Names of the non-hidden entries of {@code folder} that pass {@code filter}, sorted. */
  private static List<String> visible(Path folder, Predicate<Path> filter) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(entry -> !entry.getFileName().toString().startsWith("."))
          .filter(filter)
          .map(entry -> entry.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException(folder + ": cannot list: " + e.getMessage(), e);
    }
  }
}
