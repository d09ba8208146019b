package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * MNIST-format IDX files, gzipped or not: MNIST, Fashion-MNIST, KMNIST, EMNIST. Images are unsigned
 * bytes, one channel. The bytes are taken as stored, so EMNIST's images come out transposed
 * relative to MNIST's unless option {@code transpose=true} is given; training does not care, people
 * looking at the pictures do.
 */
public final class IdxSource implements SampleSource {

  /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  public static final List<String> FASHION_MNIST_CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  static final String DIR = "dir";
  static final String CLASSES = "classes";
  static final String CLASS_NAMES = "class-names";
  static final String TRANSPOSE = "transpose";

  @Override
  public String name() {
    return "idx";
  }

  @Override
  public String description() {
    return "MNIST-format IDX files, gzipped or not (MNIST, Fashion-MNIST, KMNIST, EMNIST); default dir "
        + DEFAULT_DIR;
  }

  @Override
  public Set<String> options() {
    return Set.of(
        DIR,
        CLASSES,
        CLASS_NAMES,
        IdxFiles.PREFIX,
        TRANSPOSE,
        IdxFiles.Role.TRAIN_IMAGES.option,
        IdxFiles.Role.TRAIN_LABELS.option,
        IdxFiles.Role.TEST_IMAGES.option,
        IdxFiles.Role.TEST_LABELS.option);
  }

  @Override
  public OpenedDataset open(SourceOptions options) {
    Path dir = options.path(DIR).orElse(DEFAULT_DIR);
    boolean transpose = booleanOption(options, TRANSPOSE);
    IdxFiles files = IdxFiles.find(dir, options);

    IdxFile trainImages = IdxFile.open(files.trainImages(), IdxFile.Kind.IMAGES);
    IdxFile testImages = IdxFile.open(files.testImages(), IdxFile.Kind.IMAGES);
    checkImageSize(trainImages);
    checkSameImageSize(trainImages, testImages);
    IdxFile trainLabelFile = IdxFile.open(files.trainLabels(), IdxFile.Kind.LABELS);
    IdxFile testLabelFile = IdxFile.open(files.testLabels(), IdxFile.Kind.LABELS);
    checkSameCount(trainImages, trainLabelFile);
    checkSameCount(testImages, testLabelFile);
    byte[] trainLabels = trainLabelFile.readAll();
    byte[] testLabels = testLabelFile.readAll();

    List<String> classNames = classNames(options, dir, trainLabels);
    checkLabels(trainLabelFile, trainLabels, classNames.size());
    checkLabels(testLabelFile, testLabels, classNames.size());
    return new IdxDataset(
        classNames,
        new IdxDataset.Part(trainImages, trainLabels),
        new IdxDataset.Part(testImages, testLabels),
        transpose);
  }

  /**
   * The class names, whose count is the number of classes. Given {@code class-names}, those (and
   * {@code classes}, if also given, must agree); else {@code classes}, or one more than the largest
   * train label, classes named by Fashion-MNIST's names if the folder looks like it, else by
   * number.
   */
  private static List<String> classNames(SourceOptions options, Path dir, byte[] trainLabels) {
    Optional<List<String>> given = options.get(CLASS_NAMES).map(IdxSource::parseNames);
    int classes =
        options.get(CLASSES).isPresent()
            ? options.intValue(CLASSES, 0)
            : given.map(List::size).orElseGet(() -> maxLabel(trainLabels) + 1);
    if (classes < 1) {
      throw new SourceException("option " + CLASSES + ": must be at least 1, not " + classes);
    }
    if (given.isPresent()) {
      if (given.get().size() != classes) {
        throw new SourceException(
            "option "
                + CLASS_NAMES
                + ": "
                + given.get().size()
                + " names for "
                + classes
                + " classes (option "
                + CLASSES
                + ")");
      }
      return given.get();
    }
    if (classes == FASHION_MNIST_CLASSES.size() && looksLikeFashionMnist(dir)) {
      return FASHION_MNIST_CLASSES;
    }
    return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
  }

  private static boolean looksLikeFashionMnist(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).contains("fashion");
  }

  private static List<String> parseNames(String value) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String raw : value.split(",", -1)) {
      String name = raw.trim();
      if (name.isEmpty()) {
        throw new SourceException(
            "option "
                + CLASS_NAMES
                + ": name "
                + (names.size() + 1)
                + " is empty in '"
                + value
                + "'");
      }
      if (!seen.add(name)) {
        throw new SourceException("option " + CLASS_NAMES + ": '" + name + "' is given twice");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static boolean booleanOption(SourceOptions options, String key) {
    String value = options.get(key, "false").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new SourceException(
              "option " + key + ": '" + options.get(key, "") + "' is not true or false");
    };
  }

  private static int maxLabel(byte[] labels) {
    int max = 0;
    for (byte label : labels) {
      max = Math.max(max, label & 0xff);
    }
    return max;
  }

  // ImageShape counts pixels in an int, and a record is read into one array.
  private static void checkImageSize(IdxFile images) {
    if (images.itemBytes() > Integer.MAX_VALUE - 8) {
      throw new SourceException(
          images.name() + ": images of " + images.dim(1) + "x" + images.dim(2) + " are too large");
    }
  }

  private static void checkSameImageSize(IdxFile train, IdxFile test) {
    if (train.dim(1) != test.dim(1) || train.dim(2) != test.dim(2)) {
      throw new SourceException(
          test.name()
              + ": images are "
              + test.dim(1)
              + "x"
              + test.dim(2)
              + ", but "
              + train.name()
              + " has "
              + train.dim(1)
              + "x"
              + train.dim(2));
    }
  }

  private static void checkSameCount(IdxFile images, IdxFile labels) {
    if (images.count() != labels.count()) {
      throw new SourceException(
          labels.name()
              + ": "
              + IdxFile.formatCount(labels.count())
              + " labels for "
              + IdxFile.formatCount(images.count())
              + " images in "
              + images.name());
    }
  }

  private static void checkLabels(IdxFile file, byte[] labels, int classes) {
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i] & 0xff;
      if (label >= classes) {
        throw new SourceException(
            file.name()
                + ": label "
                + label
                + " of sample "
                + i
                + " is out of range [0, "
                + classes
                + ")"
                + " (set option "
                + CLASSES
                + " or "
                + CLASS_NAMES
                + " for more classes)");
      }
    }
  }
}
