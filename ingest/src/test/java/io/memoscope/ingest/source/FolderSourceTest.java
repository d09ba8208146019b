package io.memoscope.ingest.source;

import static io.memoscope.ingest.source.FolderTestImages.flat;
import static io.memoscope.ingest.source.FolderTestImages.grey;
import static io.memoscope.ingest.source.FolderTestImages.rgb;
import static io.memoscope.ingest.source.FolderTestImages.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layout, labels, order, shape checks and errors of the folder source. */
class FolderSourceTest {

  @TempDir Path root;

  private final FolderSource source = new FolderSource();

  @Test
  void describesItself() {
    assertThat(source.name()).isEqualTo("folder");
    assertThat(source.description()).isNotBlank().doesNotContain("\n");
    assertThat(source.options()).containsExactlyInAnyOrder("dir", "resize", "channels");
  }

  @Test
  void labelsAreSortedClassFoldersOfBothSplitsAndIndicesGoByLabelThenFileName() throws IOException {
    write(root, "train", "cat", "b.png", flat(4, 4, 0x000001));
    write(root, "train", "cat", "a.png", flat(4, 4, 0x000002));
    write(root, "train", "Zebra", "z.png", flat(4, 4, 0x000003));
    write(root, "train", "ant", "10.png", flat(4, 4, 0x000004));
    write(root, "train", "ant", "9.png", flat(4, 4, 0x000005));
    write(root, "test", "cat", "c.png", flat(4, 4, 0x000006));
    // A class with test images only keeps its label; nothing can learn it, which test accuracy
    // shows.
    write(root, "test", "dog", "d.png", flat(4, 4, 0x000007));
    Files.createDirectories(root.resolve("train/empty"));

    try (OpenedDataset dataset = open(Map.of("dir", root.toString()))) {
      // String order: upper case before lower case, as Python's sorted() (torchvision's
      // ImageFolder).
      assertThat(dataset.classNames()).containsExactly("Zebra", "ant", "cat", "dog", "empty");
      assertThat(dataset.count(Split.train)).isEqualTo(5);
      assertThat(dataset.count(Split.test)).isEqualTo(2);

      List<RawSample> train = Reads.all(dataset, Split.train);
      assertThat(train).extracting(RawSample::index).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(train).extracting(RawSample::label).containsExactly(0, 1, 1, 2, 2);
      // Blue channel of each flat image tells which file it came from: z, 10, 9, a, b.
      assertThat(train).extracting(s -> (int) s.pixels()[2]).containsExactly(3, 4, 5, 2, 1);

      List<RawSample> test = Reads.all(dataset, Split.test);
      assertThat(test).extracting(RawSample::label).containsExactly(2, 3);
      assertThat(test).extracting(s -> (int) s.pixels()[2]).containsExactly(6, 7);
    }
  }

  @Test
  void ignoresHiddenEntriesOtherFilesAndFilesOutsideClassFolders() throws IOException {
    write(root, "train", "a", "keep.png", flat(3, 3, 0x000001));
    write(root, "train", "a", "KEEP2.PNG", flat(3, 3, 0x000002));
    write(root, "train", "a", "keep3.JpEg", flat(3, 3, 0x000003));
    write(root, "test", "a", "keep.jpg", flat(3, 3, 0x000004));
    write(root, "train", "a", ".hidden.png", flat(3, 3, 0x000005));
    write(root, "train", ".git", "x.png", flat(3, 3, 0x000006));
    write(root, "train", "a/nested", "deep.png", flat(3, 3, 0x000007));
    Files.writeString(root.resolve("train/a/notes.txt"), "not an image");
    Files.writeString(root.resolve("train/a/png"), "no extension");
    Files.createDirectories(root.resolve("train/a/dir.png"));
    Files.writeString(root.resolve("train/stray.png"), "directly under the split folder");
    Files.createDirectories(root.resolve("validation/a"));

    try (OpenedDataset dataset = open(Map.of("dir", root.toString()))) {
      assertThat(dataset.classNames()).containsExactly("a");
      assertThat(dataset.count(Split.train)).isEqualTo(3);
      assertThat(dataset.count(Split.test)).isEqualTo(1);
      assertThat(Reads.all(dataset, Split.train)).hasSize(3);
    }
  }

  @Test
  void anEmptyTestSplitIsAllowed() throws IOException {
    write(root, "train", "a", "1.png", flat(3, 3, 0));
    Files.createDirectories(root.resolve("test"));
    try (OpenedDataset dataset = open(Map.of("dir", root.toString()))) {
      assertThat(dataset.count(Split.test)).isZero();
      assertThat(Reads.all(dataset, Split.test)).isEmpty();
    }
  }

  @Test
  void readingStopsWhenTheSinkSaysSo() {
    for (int i = 0; i < 5; i++) {
      write(root, "train", "a", i + ".png", flat(3, 3, i));
    }
    write(root, "test", "a", "t.png", flat(3, 3, 0));
    List<RawSample> seen = new ArrayList<>();
    open(Map.of("dir", root.toString())).read(Split.train, s -> seen.add(s) && seen.size() < 2);
    assertThat(seen).hasSize(2);
  }

  @Test
  void theShapeIsTheFirstTrainImagesSizeWhenNotResized() {
    write(root, "train", "a", "1.png", rgb(5, 7, 1));
    write(root, "test", "a", "1.png", rgb(5, 7, 2));
    try (OpenedDataset dataset = open(Map.of("dir", root.toString()))) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(5, 7, 3));
    }
  }

  @Test
  void mixedSizesWithoutResizeFailInOpenNamingTheFileBothSizesAndResize() {
    Path first = write(root, "train", "a", "1.png", rgb(5, 7, 1));
    write(root, "train", "a", "2.png", rgb(5, 7, 2));
    Path odd = write(root, "test", "b", "odd.png", rgb(6, 7, 3));

    assertOneLineFailure(() -> open(Map.of("dir", root.toString())))
        .hasMessageStartingWith(odd + ": 6x7 (HxW)")
        .hasMessageContaining(first + " is 5x7")
        .hasMessageContaining("--resize");
  }

  @Test
  void mixedSizesAreFineWhenResized() {
    write(root, "train", "a", "1.png", rgb(5, 7, 1));
    write(root, "train", "a", "2.png", rgb(12, 3, 2));
    write(root, "test", "b", "3.jpg", rgb(40, 40, 3));
    try (OpenedDataset dataset = open(Map.of("dir", root.toString(), "resize", "8x6"))) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(8, 6, 3));
      assertThat(Reads.all(dataset, Split.train))
          .allSatisfy(s -> assertThat(s.pixels()).hasSize(8 * 6 * 3));
      assertThat(Reads.all(dataset, Split.test))
          .allSatisfy(s -> assertThat(s.pixels()).hasSize(8 * 6 * 3));
    }
  }

  @Test
  void aFileThatIsNoImageFailsInOpenNamingIt() throws IOException {
    write(root, "train", "a", "1.png", rgb(4, 4, 1));
    write(root, "test", "a", "1.png", rgb(4, 4, 1));
    Path bad = root.resolve("test/a/2.png");
    Files.writeString(bad, "this is not a PNG");

    assertOneLineFailure(() -> open(Map.of("dir", root.toString())))
        .hasMessageStartingWith(bad + ": unreadable image");
  }

  @Test
  void aTruncatedPngFailsWhileReadingNamingIt() throws IOException {
    write(root, "train", "a", "1.png", rgb(16, 16, 1));
    Path truncated = write(root, "train", "a", "2.png", rgb(16, 16, 2));
    write(root, "test", "a", "1.png", rgb(16, 16, 3));
    byte[] bytes = Files.readAllBytes(truncated);
    // The header survives, so only decoding finds the fault.
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

    OpenedDataset dataset = open(Map.of("dir", root.toString()));
    List<RawSample> before = new ArrayList<>();
    assertOneLineFailure(() -> dataset.read(Split.train, before::add))
        .hasMessageStartingWith(truncated + ": unreadable image");
    assertThat(before).hasSize(1);
  }

  @Test
  void aTruncatedJpegFailsInsteadOfBecomingGrey() throws IOException {
    write(root, "train", "a", "1.png", rgb(32, 32, 1));
    Path truncated = write(root, "train", "a", "2.jpg", rgb(32, 32, 2));
    write(root, "test", "a", "1.png", rgb(32, 32, 3));
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));

    OpenedDataset dataset = open(Map.of("dir", root.toString()));
    assertOneLineFailure(() -> Reads.all(dataset, Split.train))
        .hasMessageStartingWith(truncated + ": unreadable image");
  }

  @Test
  void anUnreadableFirstImageFailsInOpenWhenItDecidesTheChannels() throws IOException {
    Path first = write(root, "train", "a", "1.png", rgb(16, 16, 1));
    write(root, "test", "a", "1.png", rgb(16, 16, 3));
    byte[] bytes = Files.readAllBytes(first);
    Files.write(first, Arrays.copyOf(bytes, bytes.length / 2));

    assertOneLineFailure(() -> open(Map.of("dir", root.toString())))
        .hasMessageStartingWith(first + ": unreadable image");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "test"})
  void aMissingSplitFolderFailsNamingIt(String missing) {
    String present = missing.equals("train") ? "test" : "train";
    write(root, present, "a", "1.png", rgb(4, 4, 1));

    assertOneLineFailure(() -> open(Map.of("dir", root.toString())))
        .hasMessageStartingWith(root.resolve(missing) + ": missing");
  }

  @Test
  void noTrainImagesFails() throws IOException {
    Files.createDirectories(root.resolve("train/a"));
    write(root, "test", "a", "1.png", rgb(4, 4, 1));

    assertOneLineFailure(() -> open(Map.of("dir", root.toString())))
        .hasMessageStartingWith(root.resolve("train") + ": no images");
  }

  @Test
  void aMissingDirFails() {
    Path nowhere = root.resolve("nowhere");
    assertOneLineFailure(() -> open(Map.of("dir", nowhere.toString())))
        .hasMessageStartingWith(nowhere + ": not a directory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void theDirOptionIsRequired(String blank) {
    assertOneLineFailure(() -> open(Map.of())).hasMessageStartingWith("option dir is required");
    assertOneLineFailure(() -> open(Map.of("dir", blank)))
        .hasMessageStartingWith("option dir is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"32", "32x", "x32", "0x32", "32x-1", "axb", "32x32x3", "9000x10"})
  void aMalformedResizeFailsNamingTheOption(String resize) {
    write(root, "train", "a", "1.png", rgb(4, 4, 1));
    write(root, "test", "a", "1.png", rgb(4, 4, 1));
    Map<String, String> options = new HashMap<>(Map.of("dir", root.toString(), "resize", resize));
    assertOneLineFailure(() -> open(options))
        .hasMessageStartingWith("option resize: '" + resize + "' is not HEIGHTxWIDTH");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "2", "4", "rgb"})
  void badChannelsFailNamingTheOption(String channels) {
    write(root, "train", "a", "1.png", rgb(4, 4, 1));
    write(root, "test", "a", "1.png", rgb(4, 4, 1));
    assertOneLineFailure(() -> open(Map.of("dir", root.toString(), "channels", channels)))
        .hasMessageStartingWith("option channels:")
        .hasMessageContaining(channels);
  }

  @Test
  void greyFirstImageMakesTheSetGrey() {
    write(root, "train", "a", "1.png", grey(4, 4, 1));
    write(root, "train", "b", "1.png", rgb(4, 4, 2));
    write(root, "test", "a", "1.png", rgb(4, 4, 3));
    try (OpenedDataset dataset = open(Map.of("dir", root.toString()))) {
      assertThat(dataset.shape().channels()).isEqualTo(1);
      assertThat(Reads.all(dataset, Split.train))
          .allSatisfy(s -> assertThat(s.pixels()).hasSize(16));
    }
  }

  @Test
  void rgbFirstImageMakesTheSetRgb() {
    write(root, "train", "a", "1.png", rgb(4, 4, 1));
    write(root, "train", "b", "1.png", grey(4, 4, 2));
    write(root, "test", "a", "1.png", grey(4, 4, 3));
    try (OpenedDataset dataset = open(Map.of("dir", root.toString()))) {
      assertThat(dataset.shape().channels()).isEqualTo(3);
      assertThat(Reads.all(dataset, Split.test))
          .allSatisfy(s -> assertThat(s.pixels()).hasSize(48));
    }
  }

  private OpenedDataset open(Map<String, String> options) {
    return source.open(SourceOptions.of(options));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertOneLineFailure(
      Runnable action) {
    return assertThatThrownBy(action::run)
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
  }
}
