package io.memoscope.metrics;

import io.memoscope.protocol.avro.ImageSample;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An {@link ImageSample} as a PNG for people: small images scaled up by a whole factor with nearest
 * neighbour, so that each pixel stays a sharp square (a 28×28 digit is a smudge at its own size).
 * One channel is grey, three RGB, four RGBA; with another number of channels the first is shown as
 * grey.
 */
final class SamplePng {

  /** Images are scaled up by the largest whole factor that keeps their longer side at most this. */
  static final int TARGET_SIZE = 128;

  /** The largest factor: a tiny image (say 4×4) is still a thumbnail, not a wall. */
  static final int MAX_SCALE = 4;

  private SamplePng() {}

  /** The factor an image of this size is scaled by: 1 to {@value #MAX_SCALE}. */
  static int scale(int height, int width) {
    return Math.max(1, Math.min(MAX_SCALE, TARGET_SIZE / Math.max(height, width)));
  }

  static byte[] encode(ImageSample sample) {
    int height = sample.getHeight();
    int width = sample.getWidth();
    int channels = sample.getChannels();
    ByteBuffer pixels = sample.getPixels();
    int scale = scale(height, width);
    int type =
        switch (channels) {
          case 3 -> BufferedImage.TYPE_INT_RGB;
          case 4 -> BufferedImage.TYPE_INT_ARGB;
          default -> BufferedImage.TYPE_BYTE_GRAY;
        };
    BufferedImage image = new BufferedImage(width * scale, height * scale, type);
    // The raster, not setRGB: a grey image's setRGB goes through a colour conversion that changes
    // the values; the raster takes them as they are.
    WritableRaster raster = image.getRaster();
    int[] pixel = new int[raster.getNumBands()];
    int base = pixels.position();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int at = base + (y * width + x) * channels;
        for (int band = 0; band < pixel.length; band++) {
          pixel[band] = pixels.get(at + band) & 0xff;
        }
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            raster.setPixel(x * scale + dx, y * scale + dy, pixel);
          }
        }
      }
    }
    // In memory: ImageIO.write would buffer through a temporary file by default.
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
      writer.setOutput(out);
      writer.write(image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG", e);
    } finally {
      writer.dispose();
    }
    return png.toByteArray();
  }
}
