package io.memoscope.ingest.source;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded image into HWC row-major uint8 pixels with the wanted channel count and size.
 *
 * <p>Channels first: grey to RGB repeats the grey value; RGB to grey takes the ITU-R BT.601 luma
 * (0.299 R + 0.587 G + 0.114 B, rounded), as PIL's {@code convert("L")} does. Alpha is dropped, not
 * composited: a transparent pixel keeps the colour stored under it. Grey images are read from their
 * samples, not through sRGB, because Java treats a grey colour space as linear and would brighten
 * them. Then the size: Java2D's bilinear interpolation ({@link
 * RenderingHints#VALUE_INTERPOLATION_BILINEAR}) stretches the image to exactly the target height
 * and width (the aspect ratio is not kept, and a strong reduction aliases, as bilinear samples only
 * the four nearest pixels).
 */
final class FolderPixels {

  private FolderPixels() {}

  /** Whether the image stores grey only: a grey colour space, or a palette of greys. */
  static boolean isGrey(BufferedImage image) {
    ColorModel model = image.getColorModel();
    if (model instanceof IndexColorModel palette) {
      for (int i = 0; i < palette.getMapSize(); i++) {
        int rgb = palette.getRGB(i);
        if (red(rgb) != green(rgb) || green(rgb) != blue(rgb)) {
          return false;
        }
      }
      return true;
    }
    return model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  static byte[] pixels(BufferedImage image, int channels, FolderSize target) {
    byte[] pixels = channels == 1 ? grey(image) : rgb(image);
    if (target.height() == image.getHeight() && target.width() == image.getWidth()) {
      return pixels;
    }
    return resize(pixels, new FolderSize(image.getHeight(), image.getWidth()), channels, target);
  }

  private static byte[] grey(BufferedImage image) {
    if (storesGreySamples(image)) {
      return greySamples(image);
    }
    int[] argb = argb(image);
    byte[] grey = new byte[argb.length];
    for (int i = 0; i < argb.length; i++) {
      int rgb = argb[i];
      grey[i] = (byte) ((299 * red(rgb) + 587 * green(rgb) + 114 * blue(rgb) + 500) / 1000);
    }
    return grey;
  }

  private static byte[] rgb(BufferedImage image) {
    if (storesGreySamples(image)) {
      byte[] grey = greySamples(image);
      byte[] rgb = new byte[grey.length * 3];
      for (int i = 0; i < grey.length; i++) {
        rgb[3 * i] = grey[i];
        rgb[3 * i + 1] = grey[i];
        rgb[3 * i + 2] = grey[i];
      }
      return rgb;
    }
    int[] argb = argb(image);
    byte[] rgb = new byte[argb.length * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) red(argb[i]);
      rgb[3 * i + 1] = (byte) green(argb[i]);
      rgb[3 * i + 2] = (byte) blue(argb[i]);
    }
    return rgb;
  }

  /** A grey colour space without a palette: band 0 holds the grey level (band 1, if any, alpha). */
  private static boolean storesGreySamples(BufferedImage image) {
    ColorModel model = image.getColorModel();
    return !(model instanceof IndexColorModel)
        && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  /** Band 0 scaled to 0..255, whatever its bit depth (1, 2, 4, 8 or 16 in PNG). */
  private static byte[] greySamples(BufferedImage image) {
    int h = image.getHeight();
    int w = image.getWidth();
    Raster raster = image.getRaster();
    long max = (1L << image.getColorModel().getComponentSize(0)) - 1;
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    byte[] grey = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      grey[i] = (byte) ((samples[i] * 255L + max / 2) / max);
    }
    return grey;
  }

  /** Non-premultiplied sRGB, row-major, as the colour model maps the stored samples. */
  private static int[] argb(BufferedImage image) {
    int w = image.getWidth();
    return image.getRGB(0, 0, w, image.getHeight(), null, 0, w);
  }

  private static byte[] resize(byte[] pixels, FolderSize from, int channels, FolderSize to) {
    BufferedImage source =
        new BufferedImage(from.width(), from.height(), BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[from.height() * from.width()];
    for (int i = 0; i < rgb.length; i++) {
      // Grey travels as equal R, G and B, which bilinear interpolation keeps equal.
      int r = pixels[i * channels] & 0xFF;
      int g = pixels[i * channels + (channels == 3 ? 1 : 0)] & 0xFF;
      int b = pixels[i * channels + (channels == 3 ? 2 : 0)] & 0xFF;
      rgb[i] = (r << 16) | (g << 8) | b;
    }
    source.setRGB(0, 0, from.width(), from.height(), rgb, 0, from.width());

    BufferedImage target = new BufferedImage(to.width(), to.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.drawImage(source, 0, 0, to.width(), to.height(), null);
    } finally {
      graphics.dispose();
    }

    int[] scaled = target.getRGB(0, 0, to.width(), to.height(), null, 0, to.width());
    byte[] out = new byte[scaled.length * channels];
    for (int i = 0; i < scaled.length; i++) {
      if (channels == 1) {
        out[i] = (byte) red(scaled[i]);
      } else {
        out[3 * i] = (byte) red(scaled[i]);
        out[3 * i + 1] = (byte) green(scaled[i]);
        out[3 * i + 2] = (byte) blue(scaled[i]);
      }
    }
    return out;
  }

  private static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  private static int green(int rgb) {
    return (rgb >> 8) & 0xFF;
  }

  private static int blue(int rgb) {
    return rgb & 0xFF;
  }
}
