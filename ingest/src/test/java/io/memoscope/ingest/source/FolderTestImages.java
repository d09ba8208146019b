package io.memoscope.ingest.source;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;

/** Makes image files for the folder source's tests, and reads data sets back. */
final class FolderTestImages {

  private FolderTestImages() {}

  /** Random RGB pixels, seeded. */
  static BufferedImage rgb(int height, int width, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  /** Random grey levels, seeded, set as raw samples (not through sRGB). */
  static BufferedImage grey(int height, int width, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Random random = new Random(seed);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, random.nextInt(256));
      }
    }
    return image;
  }

  /** One RGB colour everywhere. */
  static BufferedImage flat(int height, int width, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /** Grey with an alpha band, or 16-bit grey: the PNG colour types a TYPE_BYTE_GRAY cannot show. */
  static BufferedImage greyOfDepth(int height, int width, int bits, boolean alpha, long seed) {
    int dataType = bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
    BufferedImage image =
        alpha
            ? ImageTypeSpecifier.createGrayscale(bits, dataType, false, false)
                .createBufferedImage(width, height)
            : ImageTypeSpecifier.createGrayscale(bits, dataType, false)
                .createBufferedImage(width, height);
    Random random = new Random(seed);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, random.nextInt(1 << bits));
        if (alpha) {
          raster.setSample(x, y, 1, random.nextInt(1 << bits));
        }
      }
    }
    return image;
  }

  /** An 8-bit palette image of the given ARGB colours, pixel i % colours.length at i. */
  static BufferedImage palette(int height, int width, int... colours) {
    byte[] r = new byte[colours.length];
    byte[] g = new byte[colours.length];
    byte[] b = new byte[colours.length];
    for (int i = 0; i < colours.length; i++) {
      r[i] = (byte) (colours[i] >> 16);
      g[i] = (byte) (colours[i] >> 8);
      b[i] = (byte) colours[i];
    }
    IndexColorModel model = new IndexColorModel(8, colours.length, r, g, b);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
    WritableRaster raster = image.getRaster();
    for (int i = 0; i < height * width; i++) {
      raster.setSample(i % width, i / width, 0, i % colours.length);
    }
    return image;
  }

  /** Writes {@code image} to {@code root/split/label/name} in the format its extension names. */
  static Path write(Path root, String split, String label, String name, BufferedImage image) {
    Path file = root.resolve(split).resolve(label).resolve(name);
    String format = name.toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "jpeg";
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(image, format, file.toFile())) {
        throw new IllegalStateException("no " + format + " writer for " + image);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pixels as the source must deliver them for a 3-channel image: HWC, R G B. */
  static byte[] rgbBytes(BufferedImage image) {
    int h = image.getHeight();
    int w = image.getWidth();
    byte[] bytes = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int i = 3 * (y * w + x);
        bytes[i] = (byte) (rgb >> 16);
        bytes[i + 1] = (byte) (rgb >> 8);
        bytes[i + 2] = (byte) rgb;
      }
    }
    return bytes;
  }

  /** Band 0 of the raster, row-major, as stored (no colour-space conversion). */
  static int[] samples(BufferedImage image) {
    return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
  }

  static byte[] bytes(int[] levels) {
    byte[] bytes = new byte[levels.length];
    for (int i = 0; i < levels.length; i++) {
      bytes[i] = (byte) levels[i];
    }
    return bytes;
  }
}
