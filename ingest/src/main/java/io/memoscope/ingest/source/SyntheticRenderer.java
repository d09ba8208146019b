package io.memoscope.ingest.source;

import io.memoscope.ingest.source.SyntheticPrototype.Blob;
import io.memoscope.ingest.source.SyntheticPrototype.Grating;
import io.memoscope.ingest.spi.ImageShape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one sample of a class: its prototype shifted, with each shape's strength, angle and
 * frequency jittered, plus a random grating and blob of clutter, under random contrast and
 * brightness, plus noise, then a random rectangle covered by a flat grey. It uses StrictMath and
 * plain arithmetic only, so the bytes are the same on every JVM.
 */
final class SyntheticRenderer {

  /** Largest shift, as a fraction of the shorter side (4 pixels at 28). */
  static final double MAX_SHIFT = 0.15;

  /** Largest change of a grating's direction, radians. */
  static final double MAX_ANGLE_JITTER = 0.15;

  /** Standard deviation of the per-pixel noise, in units of full scale. */
  static final double NOISE = 0.12;

  /** Largest fraction of each side the occluding rectangle covers. */
  static final double MAX_OCCLUSION = 0.5;

  private final ImageShape shape;
  private final List<SyntheticPrototype> prototypes;

  /** Pixel centres in prototype coordinates. */
  private final double[] xs;

  private final double[] ys;

  SyntheticRenderer(ImageShape shape, List<SyntheticPrototype> prototypes) {
    this.shape = shape;
    this.prototypes = List.copyOf(prototypes);
    double side = Math.min(shape.height(), shape.width());
    xs = centres(shape.width(), side);
    ys = centres(shape.height(), side);
  }

  byte[] render(int label, SplittableRandom random) {
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    double dx = random.nextDouble(-MAX_SHIFT, MAX_SHIFT);
    double dy = random.nextDouble(-MAX_SHIFT, MAX_SHIFT);
    double contrast = random.nextDouble(0.6, 1.4);
    double brightness = random.nextDouble(-0.15, 0.15);
    double[] field = new double[h * w * c];
    SyntheticPrototype prototype = prototypes.get(label);
    for (Grating g : prototype.gratings()) {
      addGrating(field, g, dx, dy, random);
    }
    for (Blob b : prototype.blobs()) {
      addBlob(field, b, dx, dy, random);
    }
    // Clutter belongs to no class: it keeps samples of a class from being near-identical in pixel
    // space (1-nearest-neighbour would otherwise be near perfect) without hiding the class.
    addGrating(field, Grating.random(random, 0.1, 0.2), 0, 0, random);
    addBlob(field, Blob.random(random, 0.4, 0.2, 0.4), 0, 0, random);
    byte[] pixels = new byte[field.length];
    for (int i = 0; i < field.length; i++) {
      // Triangular rather than Gaussian: two uniforms and no transcendental function per pixel.
      double noise = (random.nextDouble() + random.nextDouble() - 1) * NOISE * Math.sqrt(6);
      pixels[i] = toByte(0.5 + brightness + contrast * field[i] + noise);
    }
    occlude(pixels, random);
    return pixels;
  }

  private void addGrating(
      double[] field, Grating g, double dx, double dy, SplittableRandom random) {
    double amplitude = g.amplitude() * random.nextDouble(0.5, 1.5);
    double angle = g.angle() + random.nextDouble(-MAX_ANGLE_JITTER, MAX_ANGLE_JITTER);
    double k = 2 * Math.PI * g.frequency() * random.nextDouble(0.9, 1.1);
    double kx = k * StrictMath.cos(angle);
    double ky = k * StrictMath.sin(angle);
    // sin(a + b) = sin a cos b + cos a sin b: trigonometry per row and column, not per pixel.
    int w = xs.length;
    int h = ys.length;
    double[] sinX = new double[w];
    double[] cosX = new double[w];
    for (int x = 0; x < w; x++) {
      double a = kx * (xs[x] - dx);
      sinX[x] = StrictMath.sin(a);
      cosX[x] = StrictMath.cos(a);
    }
    double[] sinY = new double[h];
    double[] cosY = new double[h];
    for (int y = 0; y < h; y++) {
      double b = ky * (ys[y] - dy) + g.phase();
      sinY[y] = StrictMath.sin(b);
      cosY[y] = StrictMath.cos(b);
    }
    double[] weights = channelWeights(g.colour(), amplitude);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        add(field, y, x, sinX[x] * cosY[y] + cosX[x] * sinY[y], weights);
      }
    }
  }

  private void addBlob(double[] field, Blob b, double dx, double dy, SplittableRandom random) {
    double amplitude = b.amplitude() * random.nextDouble(0.5, 1.5);
    double twoSigmaSquared = 2 * b.sigma() * b.sigma();
    // exp(-(u² + v²)/2σ²) = exp(-u²/2σ²)·exp(-v²/2σ²): one factor per column, one per row.
    int w = xs.length;
    int h = ys.length;
    double[] gx = new double[w];
    for (int x = 0; x < w; x++) {
      double u = xs[x] - dx - b.x();
      gx[x] = StrictMath.exp(-u * u / twoSigmaSquared);
    }
    double[] gy = new double[h];
    for (int y = 0; y < h; y++) {
      double v = ys[y] - dy - b.y();
      gy[y] = StrictMath.exp(-v * v / twoSigmaSquared);
    }
    double[] weights = channelWeights(b.colour(), amplitude);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        add(field, y, x, gx[x] * gy[y], weights);
      }
    }
  }

  private void add(double[] field, int y, int x, double value, double[] weights) {
    int base = (y * xs.length + x) * weights.length;
    for (int ch = 0; ch < weights.length; ch++) {
      field[base + ch] += value * weights[ch];
    }
  }

  private double[] channelWeights(double[] colour, double amplitude) {
    if (shape.channels() == 1) {
      return new double[] {amplitude};
    }
    return new double[] {amplitude * colour[0], amplitude * colour[1], amplitude * colour[2]};
  }

  private void occlude(byte[] pixels, SplittableRandom random) {
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    int rows = (int) (h * random.nextDouble(MAX_OCCLUSION));
    int cols = (int) (w * random.nextDouble(MAX_OCCLUSION));
    int top = random.nextInt(h - rows + 1);
    int left = random.nextInt(w - cols + 1);
    byte grey = toByte(random.nextDouble());
    for (int y = top; y < top + rows; y++) {
      for (int i = (y * w + left) * c; i < (y * w + left + cols) * c; i++) {
        pixels[i] = grey;
      }
    }
  }

  private static byte toByte(double intensity) {
    long level = Math.round(intensity * 255);
    return (byte) Math.max(0, Math.min(255, level));
  }

  private static double[] centres(int n, double side) {
    double[] centres = new double[n];
    for (int i = 0; i < n; i++) {
      centres[i] = (i + 0.5 - n / 2.0) / side;
    }
    return centres;
  }
}
