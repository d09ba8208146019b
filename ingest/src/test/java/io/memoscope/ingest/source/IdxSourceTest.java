package io.memoscope.ingest.source;

import static io.memoscope.ingest.source.IdxTestFiles.COLS;
import static io.memoscope.ingest.source.IdxTestFiles.ROWS;
import static io.memoscope.ingest.source.IdxTestFiles.TEST;
import static io.memoscope.ingest.source.IdxTestFiles.TRAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxSourceTest {

  @TempDir Path dir;

  private final IdxSource source = new IdxSource();

  private OpenedDataset open(Map<String, String> extra) {
    Map<String, String> options = new java.util.HashMap<>(extra);
    options.putIfAbsent("dir", dir.toString());
    return source.open(SourceOptions.of(options));
  }

  @Test
  void describesItself() {
    assertThat(source.name()).isEqualTo("idx");
    assertThat(source.description()).contains("IDX");
    assertThat(source.options())
        .containsExactlyInAnyOrder(
            "dir",
            "classes",
            "class-names",
            "prefix",
            "transpose",
            "train-images",
            "train-labels",
            "test-images",
            "test-labels");
  }

  @ParameterizedTest(name = "gzipped: {0}")
  @ValueSource(booleans = {false, true})
  void readsShapeCountsLabelsAndPixels(boolean gzip) {
    IdxTestFiles.writeDataset(dir, gzip);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(ROWS, COLS, 1));
      assertThat(dataset.count(Split.train)).isEqualTo(TRAIN);
      assertThat(dataset.count(Split.test)).isEqualTo(TEST);
      assertThat(dataset.classNames())
          .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
      for (Split split : Split.values()) {
        List<RawSample> samples = Reads.all(dataset, split);
        int n = split == Split.train ? TRAIN : TEST;
        byte[] labels = IdxTestFiles.labels(split, n);
        assertThat(samples).hasSize(n);
        for (int i = 0; i < n; i++) {
          RawSample sample = samples.get(i);
          assertThat(sample.index()).isEqualTo(i);
          assertThat(sample.label()).as("%s label %d", split, i).isEqualTo(labels[i]);
          assertThat(sample.pixels())
              .as("%s pixels %d", split, i)
              .isEqualTo(IdxTestFiles.image(split, i, ROWS, COLS));
        }
      }
    }
  }

  @Test
  void pixelsAreRowMajorAndUnsigned() {
    byte[] pixels = {
      0, 1, 2, 10, 11, 12, (byte) 200, (byte) 201, (byte) 202, (byte) 253, (byte) 254, (byte) 255
    };
    IdxTestFiles.write(
        dir.resolve("train-images-idx3-ubyte"),
        IdxTestFiles.idx(IdxTestFiles.IMAGES_MAGIC, new int[] {1, ROWS, COLS}, pixels),
        false);
    IdxTestFiles.write(
        dir.resolve("train-labels-idx1-ubyte"),
        IdxTestFiles.labelsFile(new byte[] {(byte) 3}),
        false);
    IdxTestFiles.write(
        dir.resolve("t10k-images-idx3-ubyte"),
        IdxTestFiles.idx(IdxTestFiles.IMAGES_MAGIC, new int[] {1, ROWS, COLS}, pixels),
        false);
    IdxTestFiles.write(
        dir.resolve("t10k-labels-idx1-ubyte"),
        IdxTestFiles.labelsFile(new byte[] {(byte) 0}),
        false);
    try (OpenedDataset dataset = open(Map.of())) {
      RawSample sample = Reads.all(dataset, Split.train).get(0);
      // row 2, column 1 of a 4x3 image
      assertThat(sample.pixels()[2 * COLS + 1] & 0xff).isEqualTo(201);
      assertThat(sample.label()).isEqualTo(3);
      assertThat(dataset.classNames()).hasSize(4);
    }
  }

  @Test
  void readsGzippedTrainNextToPlainTestAndSniffsGzipWhateverTheName() {
    IdxTestFiles.writeDataset(dir, false);
    // gzipped content under a plain name: the content decides
    IdxTestFiles.write(
        dir.resolve("train-images-idx3-ubyte"),
        IdxTestFiles.imagesFile(Split.train, TRAIN, ROWS, COLS),
        true);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(Reads.all(dataset, Split.train).get(7).pixels())
          .isEqualTo(IdxTestFiles.image(Split.train, 7, ROWS, COLS));
      assertThat(Reads.all(dataset, Split.test)).hasSize(TEST);
    }
  }

  @Test
  void stopsWhenTheSinkSaysSo() {
    IdxTestFiles.writeDataset(dir, true);
    try (OpenedDataset dataset = open(Map.of())) {
      List<Long> seen = new ArrayList<>();
      dataset.read(
          Split.train,
          sample -> {
            seen.add(sample.index());
            return seen.size() < 3;
          });
      assertThat(seen).containsExactly(0L, 1L, 2L);
    }
  }

  @Test
  void givesEachSampleItsOwnPixels() {
    IdxTestFiles.writeDataset(dir, false);
    try (OpenedDataset dataset = open(Map.of())) {
      List<RawSample> samples = Reads.all(dataset, Split.train);
      samples.get(0).pixels()[0] ^= (byte) 0xff;
      assertThat(samples.get(1).pixels()).isEqualTo(IdxTestFiles.image(Split.train, 1, ROWS, COLS));
      assertThat(samples.get(0).pixels()).isNotSameAs(samples.get(1).pixels());
    }
  }

  @Test
  void readsASplitAgainAndBothSplitsConcurrently() throws Exception {
    IdxTestFiles.writeDataset(dir, true);
    try (OpenedDataset dataset = open(Map.of())) {
      var testRead =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> Reads.all(dataset, Split.test));
      assertThat(Reads.all(dataset, Split.train)).hasSize(TRAIN);
      assertThat(Reads.all(dataset, Split.train)).hasSize(TRAIN);
      assertThat(testRead.get()).hasSize(TEST);
    }
  }

  @Test
  void defaultClassCountIsOneMoreThanTheLargestTrainLabel() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.write(
        dir.resolve("train-labels-idx1-ubyte"), IdxTestFiles.labelsFile(new byte[TRAIN]), false);
    byte[] test = new byte[TEST];
    IdxTestFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.labelsFile(test), false);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.classNames()).containsExactly("0");
    }
  }

  @Test
  void classesOptionSetsTheCount() {
    IdxTestFiles.writeDataset(dir, false);
    try (OpenedDataset dataset = open(Map.of("classes", "12"))) {
      assertThat(dataset.classNames()).hasSize(12).endsWith("10", "11");
    }
  }

  @Test
  void classNamesOptionNamesAndCountsTheClasses() {
    IdxTestFiles.writeDataset(dir, false);
    String names = "zero, one,two,three,four,five,six,seven,eight,nine,ten";
    try (OpenedDataset dataset = open(Map.of("class-names", names))) {
      assertThat(dataset.classNames()).hasSize(11).startsWith("zero", "one", "two").endsWith("ten");
    }
    try (OpenedDataset dataset = open(Map.of("class-names", names, "classes", "11"))) {
      assertThat(dataset.classNames()).hasSize(11);
    }
  }

  @Test
  void usesFashionMnistNamesInAFashionFolder() throws Exception {
    Path fashion = Files.createDirectories(dir.resolve("Fashion-MNIST"));
    IdxTestFiles.writeDataset(fashion, true);
    try (OpenedDataset dataset = open(Map.of("dir", fashion.toString()))) {
      assertThat(dataset.classNames()).isEqualTo(IdxSource.FASHION_MNIST_CLASSES);
    }
    // not when the class count says it is something else
    try (OpenedDataset dataset = open(Map.of("dir", fashion.toString(), "classes", "11"))) {
      assertThat(dataset.classNames()).startsWith("0", "1");
    }
  }

  @Test
  void readsTestPrefixedAndDottedNames() {
    byte[] trainImages = IdxTestFiles.imagesFile(Split.train, TRAIN, ROWS, COLS);
    IdxTestFiles.write(dir.resolve("train-images.idx3-ubyte"), trainImages, false);
    IdxTestFiles.write(
        dir.resolve("train-labels.idx1-ubyte"),
        IdxTestFiles.labelsFile(IdxTestFiles.labels(Split.train, TRAIN)),
        false);
    IdxTestFiles.write(
        dir.resolve("test-images-idx3-ubyte.gz"),
        IdxTestFiles.imagesFile(Split.test, TEST, ROWS, COLS),
        true);
    IdxTestFiles.write(
        dir.resolve("test-labels-idx1-ubyte.gz"),
        IdxTestFiles.labelsFile(IdxTestFiles.labels(Split.test, TEST)),
        true);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.count(Split.train)).isEqualTo(TRAIN);
      assertThat(Reads.all(dataset, Split.test).get(4).pixels())
          .isEqualTo(IdxTestFiles.image(Split.test, 4, ROWS, COLS));
    }
  }

  @Test
  void prefixPicksOneOfSeveralEmnistStyleSets() {
    IdxTestFiles.writeDataset(dir, "emnist-balanced-", true);
    IdxTestFiles.writeDataset(dir, "emnist-digits-", true);
    try (OpenedDataset dataset = open(Map.of("prefix", "emnist-digits-"))) {
      assertThat(dataset.count(Split.test)).isEqualTo(TEST);
    }
  }

  @Test
  void fileOptionsOverrideDiscovery() throws Exception {
    IdxTestFiles.writeDataset(dir, "a-", false);
    IdxTestFiles.writeDataset(dir, "b-", false);
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    IdxTestFiles.write(
        elsewhere.resolve("my-test-labels"), IdxTestFiles.labelsFile(new byte[TEST]), false);
    try (OpenedDataset dataset =
        open(
            Map.of(
                "train-images", "a-train-images-idx3-ubyte",
                "train-labels", "b-train-labels-idx1-ubyte",
                "test-images", "b-t10k-images-idx3-ubyte",
                "test-labels", elsewhere.resolve("my-test-labels").toString()))) {
      assertThat(Reads.all(dataset, Split.test)).extracting(RawSample::label).containsOnly(0);
    }
  }

  @Test
  void transposeOptionSwapsRowsAndColumns() {
    IdxTestFiles.writeDataset(dir, false);
    try (OpenedDataset dataset = open(Map.of("transpose", "true"))) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(COLS, ROWS, 1));
      byte[] stored = IdxTestFiles.image(Split.train, 5, ROWS, COLS);
      byte[] transposed = Reads.all(dataset, Split.train).get(5).pixels();
      for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
          // stored (r, c) is shown at row c, column r of a ROWS-wide image
          assertThat(transposed[c * ROWS + r]).isEqualTo(stored[r * COLS + c]);
        }
      }
    }
    try (OpenedDataset dataset = open(Map.of("transpose", "false"))) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(ROWS, COLS, 1));
    }
  }
}
