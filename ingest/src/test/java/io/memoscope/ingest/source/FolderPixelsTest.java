package io.memoscope.ingest.source;

import static io.memoscope.ingest.source.FolderTestImages.bytes;
import static io.memoscope.ingest.source.FolderTestImages.flat;
import static io.memoscope.ingest.source.FolderTestImages.grey;
import static io.memoscope.ingest.source.FolderTestImages.greyOfDepth;
import static io.memoscope.ingest.source.FolderTestImages.palette;
import static io.memoscope.ingest.source.FolderTestImages.rgb;
import static io.memoscope.ingest.source.FolderTestImages.rgbBytes;
import static io.memoscope.ingest.source.FolderTestImages.samples;
import static io.memoscope.ingest.source.FolderTestImages.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the folder source makes of the pixels: round trips, channel conversion, resizing. */
class FolderPixelsTest {

  @TempDir Path root;

  @Test
  void rgbPngRoundTripsExactly() {
    BufferedImage image = rgb(5, 7, 11);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", rgb(5, 7, 12));

    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(5, 7, 3));
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(rgbBytes(image));
    }
  }

  @Test
  void greyPngRoundTripsExactlyWithoutAGammaShift() {
    // Java treats TYPE_BYTE_GRAY as linear grey: reading it through sRGB would brighten it.
    BufferedImage image = grey(6, 4, 21);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", grey(6, 4, 22));

    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(6, 4, 1));
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(bytes(samples(image)));
    }
  }

  @Test
  void sixteenBitGreyIsScaledToEightBits() {
    BufferedImage image = greyOfDepth(3, 5, 16, false, 31);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", image);

    int[] levels = samples(image);
    int[] expected = new int[levels.length];
    for (int i = 0; i < levels.length; i++) {
      expected[i] = (int) Math.round(levels[i] * 255.0 / 65535);
    }
    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape().channels()).isEqualTo(1);
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(bytes(expected));
    }
  }

  @Test
  void greyWithAlphaKeepsTheGreyAndDropsTheAlpha() {
    BufferedImage image = greyOfDepth(4, 4, 8, true, 41);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", image);

    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape().channels()).isEqualTo(1);
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(bytes(samples(image)));
    }
  }

  @Test
  void alphaIsDroppedNotComposited() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x00_C0_80_40); // fully transparent, colour kept
    image.setRGB(1, 0, 0x80_10_20_30); // half transparent
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", image);

    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(1, 2, 3));
      assertThat(only(dataset, Split.train).pixels())
          .isEqualTo(bytes(new int[] {0xC0, 0x80, 0x40, 0x10, 0x20, 0x30}));
    }
  }

  @Test
  void aPaletteOfGreysCountsAsGreyAndAColourPaletteAsRgb() {
    write(root, "train", "a", "1.png", palette(2, 3, 0x000000, 0x7F7F7F, 0xFEFEFE));
    write(root, "test", "a", "1.png", palette(2, 3, 0xFF0000, 0x00FF00, 0x0000FF));

    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(2, 3, 1));
      assertThat(only(dataset, Split.train).pixels())
          .isEqualTo(bytes(new int[] {0, 0x7F, 0xFE, 0, 0x7F, 0xFE}));
      // Pure red, green, blue to grey by BT.601 luma: 76, 150, 29.
      assertThat(only(dataset, Split.test).pixels())
          .isEqualTo(bytes(new int[] {76, 150, 29, 76, 150, 29}));
    }
  }

  @Test
  void rgbToGreyIsTheBt601Luma() {
    BufferedImage image = rgb(4, 5, 51);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", image);

    byte[] rgb = rgbBytes(image);
    int[] luma = new int[rgb.length / 3];
    for (int i = 0; i < luma.length; i++) {
      int r = rgb[3 * i] & 0xFF;
      int g = rgb[3 * i + 1] & 0xFF;
      int b = rgb[3 * i + 2] & 0xFF;
      luma[i] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
    try (OpenedDataset dataset = open("channels", "1")) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(4, 5, 1));
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(bytes(luma));
    }
  }

  @Test
  void greyToRgbRepeatsTheLevel() {
    BufferedImage image = grey(3, 3, 61);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", image);

    int[] levels = samples(image);
    int[] repeated = new int[levels.length * 3];
    for (int i = 0; i < levels.length; i++) {
      repeated[3 * i] = levels[i];
      repeated[3 * i + 1] = levels[i];
      repeated[3 * i + 2] = levels[i];
    }
    try (OpenedDataset dataset = open("channels", "3")) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(3, 3, 3));
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(bytes(repeated));
    }
  }

  @Test
  void jpegsAreReadCloseToWhatWasWrittenAndGreyJpegsAreGrey() {
    BufferedImage colour = flat(16, 16, 0x4080C0);
    write(root, "train", "a", "1.JPG", colour);
    write(root, "test", "a", "1.jpeg", grey(16, 16, 71));

    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(16, 16, 3));
      byte[] pixels = only(dataset, Split.train).pixels();
      for (int i = 0; i < pixels.length; i += 3) {
        assertThat(pixels[i] & 0xFF).isCloseTo(0x40, offset(3));
        assertThat(pixels[i + 1] & 0xFF).isCloseTo(0x80, offset(3));
        assertThat(pixels[i + 2] & 0xFF).isCloseTo(0xC0, offset(3));
      }
    }
    write(root, "train", "a", "1.JPG", grey(16, 16, 72));
    try (OpenedDataset dataset = open()) {
      assertThat(dataset.shape().channels()).isEqualTo(1);
    }
  }

  @Test
  void resizeIsHeightByWidthWithJava2dBilinearInterpolation() {
    BufferedImage image = rgb(5, 9, 81);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", image);

    try (OpenedDataset dataset = open("resize", "7x3")) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(7, 3, 3));
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(rgbBytes(bilinear(image, 7, 3)));
    }
  }

  @Test
  void resizingKeepsFlatColoursAndGradientOrder() {
    BufferedImage gradient = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int x = 0; x < 4; x++) {
      gradient.getRaster().setSample(x, 0, 0, 60 * x);
      gradient.getRaster().setSample(x, 1, 0, 60 * x);
    }
    write(root, "train", "a", "1.png", gradient);
    write(root, "test", "a", "1.png", flat(3, 3, 0x808080));

    try (OpenedDataset dataset = open("resize", "3x10")) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(3, 10, 1));
      byte[] row = Arrays.copyOf(only(dataset, Split.train).pixels(), 10);
      for (int x = 1; x < 10; x++) {
        assertThat(row[x] & 0xFF).isGreaterThanOrEqualTo(row[x - 1] & 0xFF);
      }
      assertThat(row[9] & 0xFF).isGreaterThan(row[0] & 0xFF);
      assertThat(only(dataset, Split.test).pixels()).containsOnly((byte) 0x80);
    }
  }

  @Test
  void anImageAlreadyOfTheTargetSizeIsLeftAlone() {
    BufferedImage image = rgb(6, 6, 91);
    write(root, "train", "a", "1.png", image);
    write(root, "test", "a", "1.png", rgb(3, 3, 92));

    try (OpenedDataset dataset = open("resize", "6x6")) {
      assertThat(only(dataset, Split.train).pixels()).isEqualTo(rgbBytes(image));
    }
  }

  /** The stated rule, done independently: Java2D drawImage with bilinear interpolation. */
  private static BufferedImage bilinear(BufferedImage image, int height, int width) {
    BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = scaled.createGraphics();
    graphics.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    graphics.drawImage(image, 0, 0, width, height, null);
    graphics.dispose();
    return scaled;
  }

  private OpenedDataset open(String... keyValues) {
    Map<String, String> options = new HashMap<>(Map.of("dir", root.toString()));
    for (int i = 0; i < keyValues.length; i += 2) {
      options.put(keyValues[i], keyValues[i + 1]);
    }
    return new FolderSource().open(SourceOptions.of(options));
  }

  private static RawSample only(OpenedDataset dataset, Split split) {
    List<RawSample> samples = Reads.all(dataset, split);
    assertThat(samples).hasSize(1);
    return samples.get(0);
  }
}
