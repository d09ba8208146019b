package io.memoscope.ingest.source;

import static io.memoscope.ingest.source.IdxTestFiles.COLS;
import static io.memoscope.ingest.source.IdxTestFiles.ROWS;
import static io.memoscope.ingest.source.IdxTestFiles.TEST;
import static io.memoscope.ingest.source.IdxTestFiles.TRAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad IDX input fails with a {@link SourceException} whose one-line message names the
 * file.
 */
class IdxSourceErrorsTest {

  @TempDir Path dir;

  private final IdxSource source = new IdxSource();

  private OpenedDataset open(Map<String, String> extra) {
    Map<String, String> options = new HashMap<>(extra);
    options.putIfAbsent("dir", dir.toString());
    return source.open(SourceOptions.of(options));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(
      Map<String, String> options) {
    return assertThatThrownBy(() -> open(options))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertReadFails(Split split) {
    OpenedDataset dataset = open(Map.of());
    return assertThatThrownBy(() -> Reads.all(dataset, split))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void missingDirectory() {
    Path missing = dir.resolve("nope");
    assertOpenFails(Map.of("dir", missing.toString()))
        .hasMessage("dir " + missing + ": no such directory");
  }

  @Test
  void missingFileNamesWhatWasExpected() throws Exception {
    IdxTestFiles.writeDataset(dir, true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    assertOpenFails(Map.of())
        .hasMessageStartingWith("missing file: no test labels in " + dir)
        .hasMessageContaining("t10k-labels-idx1-ubyte[.gz] or test-labels-idx1-ubyte[.gz]")
        .hasMessageContaining("option test-labels");
  }

  @Test
  void missingTrainImages() throws Exception {
    IdxTestFiles.writeDataset(dir, false);
    Files.delete(dir.resolve("train-images-idx3-ubyte"));
    assertOpenFails(Map.of())
        .hasMessageContaining("missing file")
        .hasMessageContaining("train-images-idx3-ubyte[.gz]");
  }

  @Test
  void missingFileGivenByOption() {
    IdxTestFiles.writeDataset(dir, false);
    assertOpenFails(Map.of("train-labels", "labels.bin"))
        .hasMessage("missing file: " + dir.resolve("labels.bin") + " (option train-labels)");
  }

  @Test
  void prefixThatMatchesNothing() {
    IdxTestFiles.writeDataset(dir, "emnist-letters-", true);
    assertOpenFails(Map.of("prefix", "emnist-digits-"))
        .hasMessageStartingWith("missing file: no train images")
        .hasMessageContaining("starting with emnist-digits-");
  }

  @Test
  void severalCandidatesAreListedWithTheOptionsThatChoose() {
    IdxTestFiles.writeDataset(dir, "emnist-balanced-", true);
    IdxTestFiles.writeDataset(dir, "emnist-mnist-", true);
    assertOpenFails(Map.of())
        .hasMessage(
            "several files could be the train images in "
                + dir
                + ": emnist-balanced-train-images-idx3-ubyte.gz, emnist-mnist-train-images-idx3-ubyte.gz;"
                + " choose one with option train-images or with option prefix (e.g. prefix=emnist-balanced-)");
  }

  @Test
  void plainAndGzippedCopiesAreAmbiguousToo() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.write(
        dir.resolve("t10k-images-idx3-ubyte.gz"),
        IdxTestFiles.imagesFile(Split.test, TEST, ROWS, COLS),
        true);
    assertOpenFails(Map.of())
        .hasMessageContaining("t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz")
        .hasMessageContaining("option test-images");
  }

  @Test
  void wrongMagic() {
    IdxTestFiles.writeDataset(dir, true);
    // an image file where the labels should be
    IdxTestFiles.write(
        dir.resolve("t10k-labels-idx1-ubyte.gz"),
        IdxTestFiles.imagesFile(Split.test, TEST, ROWS, COLS),
        true);
    assertOpenFails(Map.of())
        .hasMessage(
            "t10k-labels-idx1-ubyte.gz: not an IDX label file (magic 0x00000803, expected 0x00000801)");
  }

  @Test
  void notAnIdxFileAtAll() throws Exception {
    IdxTestFiles.writeDataset(dir, false);
    Files.writeString(dir.resolve("train-images-idx3-ubyte"), "<html>404 not found</html>");
    assertOpenFails(Map.of())
        .hasMessage(
            "train-images-idx3-ubyte: not an IDX image file (magic 0x3c68746d, expected 0x00000803)");
  }

  @Test
  void truncatedHeader() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.cut(dir.resolve("train-labels-idx1-ubyte"), 6);
    assertOpenFails(Map.of())
        .hasMessage("train-labels-idx1-ubyte: truncated in the header: 8 bytes expected, 6 found");
  }

  @Test
  void emptyGzippedFile() {
    IdxTestFiles.writeDataset(dir, true);
    IdxTestFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), new byte[0], true);
    assertOpenFails(Map.of())
        .hasMessage(
            "t10k-images-idx3-ubyte.gz: truncated in the header: 16 bytes expected, 0 found");
  }

  @Test
  void zeroDimension() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.write(
        dir.resolve("train-images-idx3-ubyte"),
        IdxTestFiles.idx(IdxTestFiles.IMAGES_MAGIC, new int[] {TRAIN, 0, COLS}, new byte[0]),
        false);
    assertOpenFails(Map.of())
        .hasMessage("train-images-idx3-ubyte: dimension 2 of the header is 0, must be at least 1");
  }

  @Test
  void truncatedPlainImagesFailOnOpen() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.cut(dir.resolve("train-images-idx3-ubyte"), 100);
    long expected = 16 + (long) TRAIN * ROWS * COLS;
    assertOpenFails(Map.of())
        .hasMessage(
            "train-images-idx3-ubyte: truncated: " + expected + " bytes expected, 100 found");
  }

  @Test
  void truncatedPlainLabelsFailOnOpen() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.cut(dir.resolve("t10k-labels-idx1-ubyte"), 10);
    assertOpenFails(Map.of())
        .hasMessage(
            "t10k-labels-idx1-ubyte: truncated: " + (8 + TEST) + " bytes expected, 10 found");
  }

  @Test
  void extraBytesInAPlainFile() throws Exception {
    IdxTestFiles.writeDataset(dir, false);
    Files.write(
        dir.resolve("train-labels-idx1-ubyte"),
        new byte[] {1, 2},
        java.nio.file.StandardOpenOption.APPEND);
    assertOpenFails(Map.of())
        .hasMessageStartingWith("train-labels-idx1-ubyte: " + (8 + TRAIN) + " bytes expected")
        .hasMessageContaining("unexpected data after the last label");
  }

  @Test
  void gzippedImagesCutShortFailWhileReadingAtTheImageReached() {
    // big enough that the cut lands inside the image data, past the header
    IdxTestFiles.writeDataset(dir, true);
    Path images = dir.resolve("train-images-idx3-ubyte.gz");
    IdxTestFiles.write(images, IdxTestFiles.imagesFile(Split.train, 2_000, ROWS, COLS), true);
    IdxTestFiles.write(
        dir.resolve("train-labels-idx1-ubyte.gz"),
        IdxTestFiles.labelsFile(IdxTestFiles.labels(Split.train, 2_000)),
        true);
    IdxTestFiles.cut(images, (int) IdxTestFiles.size(images) / 2);
    OpenedDataset dataset = open(Map.of());
    assertThat(dataset.count(Split.train)).isEqualTo(2_000);
    assertThatThrownBy(() -> Reads.all(dataset, Split.train))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("train-images-idx3-ubyte.gz: truncated gzip stream in image ")
        .hasMessageEndingWith(" of 2,000");
  }

  @Test
  void gzippedImagesWithTooFewImagesFailWithSizes() {
    IdxTestFiles.writeDataset(dir, true);
    byte[] full = IdxTestFiles.imagesFile(Split.test, TEST, ROWS, COLS);
    byte[] short3 = java.util.Arrays.copyOf(full, 16 + 3 * ROWS * COLS + 5);
    IdxTestFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), short3, true);
    assertReadFails(Split.test)
        .hasMessage(
            "t10k-images-idx3-ubyte.gz: truncated at image 3 of 5: "
                + full.length
                + " bytes expected uncompressed, "
                + short3.length
                + " found");
  }

  @Test
  void gzippedImagesWithExtraDataFailAtTheEnd() {
    IdxTestFiles.writeDataset(dir, true);
    byte[] full = IdxTestFiles.imagesFile(Split.test, TEST, ROWS, COLS);
    IdxTestFiles.write(
        dir.resolve("t10k-images-idx3-ubyte.gz"),
        java.util.Arrays.copyOf(full, full.length + 1),
        true);
    assertReadFails(Split.test)
        .hasMessage(
            "t10k-images-idx3-ubyte.gz: unexpected data after the last image (the header says 5)");
  }

  @Test
  void corruptGzipStream() throws Exception {
    IdxTestFiles.writeDataset(dir, true);
    Path images = dir.resolve("train-images-idx3-ubyte.gz");
    IdxTestFiles.write(images, IdxTestFiles.imagesFile(Split.train, 200, ROWS, COLS), true);
    IdxTestFiles.write(
        dir.resolve("train-labels-idx1-ubyte.gz"),
        IdxTestFiles.labelsFile(IdxTestFiles.labels(Split.train, 200)),
        true);
    byte[] gz = Files.readAllBytes(images);
    for (int i = gz.length / 2; i < gz.length / 2 + 64; i++) {
      gz[i] = (byte) 0xff;
    }
    Files.write(images, gz);
    assertReadFails(Split.train)
        .hasMessageStartingWith("train-images-idx3-ubyte.gz: corrupt gzip stream");
  }

  @Test
  void corruptGzipThatInflatesToTooMuchIsReportedAsCorrupt() throws Exception {
    IdxTestFiles.writeDataset(dir, true);
    Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
    byte[] gz = Files.readAllBytes(images);
    // a gzip trailer ends with the uncompressed length and is checked only once the data end
    byte[] longer =
        IdxTestFiles.gzip(
            java.util.Arrays.copyOf(
                IdxTestFiles.imagesFile(Split.test, TEST, ROWS, COLS),
                16 + (TEST + 1) * ROWS * COLS));
    System.arraycopy(gz, gz.length - 8, longer, longer.length - 8, 8);
    Files.write(images, longer);
    assertReadFails(Split.test)
        .hasMessageStartingWith(
            "t10k-images-idx3-ubyte.gz: corrupt gzip stream: it inflates to more than the header's 5 images (");
  }

  @Test
  void corruptGzipCrcIsCaught() throws Exception {
    IdxTestFiles.writeDataset(dir, true);
    Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
    byte[] gz = Files.readAllBytes(labels);
    gz[gz.length - 8] ^= 1; // first byte of the CRC-32 in the gzip trailer
    Files.write(labels, gz);
    assertOpenFails(Map.of())
        .hasMessageStartingWith("train-labels-idx1-ubyte.gz: corrupt gzip stream in the labels");
  }

  @Test
  void truncatedGzippedLabelsFailOnOpen() {
    IdxTestFiles.writeDataset(dir, true);
    Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
    IdxTestFiles.cut(labels, (int) IdxTestFiles.size(labels) - 10);
    assertOpenFails(Map.of()).hasMessageStartingWith("train-labels-idx1-ubyte.gz: truncated");
  }

  @Test
  void imageAndLabelCountsDiffer() {
    IdxTestFiles.writeDataset(dir, true);
    IdxTestFiles.write(
        dir.resolve("train-labels-idx1-ubyte.gz"),
        IdxTestFiles.labelsFile(new byte[TRAIN - 1]),
        true);
    assertOpenFails(Map.of())
        .hasMessage(
            "train-labels-idx1-ubyte.gz: 11 labels for 12 images in train-images-idx3-ubyte.gz");
  }

  @Test
  void trainAndTestImageSizesDiffer() {
    IdxTestFiles.writeDataset(dir, false);
    IdxTestFiles.write(
        dir.resolve("t10k-images-idx3-ubyte"),
        IdxTestFiles.imagesFile(Split.test, TEST, COLS, ROWS),
        false);
    assertOpenFails(Map.of())
        .hasMessage("t10k-images-idx3-ubyte: images are 3x4, but train-images-idx3-ubyte has 4x3");
  }

  @Test
  void testLabelOutOfTheTrainLabelsRange() {
    IdxTestFiles.writeDataset(dir, false);
    byte[] labels = IdxTestFiles.labels(Split.test, TEST);
    labels[3] = 10;
    IdxTestFiles.write(
        dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.labelsFile(labels), false);
    assertOpenFails(Map.of())
        .hasMessageStartingWith(
            "t10k-labels-idx1-ubyte: label 10 of sample 3 is out of range [0, 10)");
  }

  @Test
  void labelOutOfTheGivenRange() {
    IdxTestFiles.writeDataset(dir, true);
    byte[] labels = IdxTestFiles.labels(Split.train, TRAIN);
    labels[TRAIN - 1] = (byte) 255;
    IdxTestFiles.write(
        dir.resolve("train-labels-idx1-ubyte.gz"), IdxTestFiles.labelsFile(labels), true);
    assertOpenFails(Map.of("classes", "10"))
        .hasMessageStartingWith(
            "train-labels-idx1-ubyte.gz: label 255 of sample 11 is out of range [0, 10)");
  }

  @Test
  void badOptions() {
    IdxTestFiles.writeDataset(dir, false);
    assertOpenFails(Map.of("classes", "0")).hasMessage("option classes: must be at least 1, not 0");
    assertOpenFails(Map.of("classes", "ten")).hasMessageStartingWith("option classes:");
    assertOpenFails(Map.of("class-names", "a,b", "classes", "3"))
        .hasMessage("option class-names: 2 names for 3 classes (option classes)");
    assertOpenFails(Map.of("class-names", "a,,b"))
        .hasMessageStartingWith("option class-names: name 2 is empty");
    assertOpenFails(Map.of("class-names", "a,b,a"))
        .hasMessage("option class-names: 'a' is given twice");
    assertOpenFails(Map.of("transpose", "yes"))
        .hasMessage("option transpose: 'yes' is not true or false");
  }

  @Test
  void readAfterCloseIsAProgrammingError() {
    IdxTestFiles.writeDataset(dir, false);
    OpenedDataset dataset = open(Map.of());
    dataset.close();
    assertThatThrownBy(() -> Reads.all(dataset, Split.train))
        .isInstanceOf(IllegalStateException.class);
  }
}
