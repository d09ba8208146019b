package io.memoscope.trainer.data;

import io.memoscope.trainer.config.AugmentationConfig;

/**
 * Random crop with zero padding and horizontal flip, on the raw bytes before conversion. The random
 * draw of a sample is a pure function of (seed, epoch, sample index), not of the order samples
 * arrive in: a replayed or resumed epoch sees exactly the same images.
 */
public final class Augmenter {

  /** Keeps the augmentation stream apart from other users of the run seed (shuffling, init). */
  private static final long SALT = 0x6175676D656E7421L;

  private final int padding;
  private final boolean flip;
  private final long seed;

  /**
   * @param padding crop padding p in pixels (0 = no crop)
   * @param flip whether to mirror left-right with probability 1/2
   * @param seed the run seed
   */
  public Augmenter(int padding, boolean flip, long seed) {
    if (padding < 0) {
      throw new IllegalArgumentException("crop padding must be >= 0, not " + padding);
    }
    this.padding = padding;
    this.flip = flip;
    this.seed = seed;
  }

  public static Augmenter of(AugmentationConfig config, long seed) {
    return new Augmenter(config.cropPadding(), config.horizontalFlip(), seed);
  }

  public boolean enabled() {
    return padding > 0 || flip;
  }

  /** The sample as it is seen in {@code epoch}; the sample itself when augmentation is off. */
  public SampleView apply(SampleView sample, long epoch) {
    if (!enabled()) {
      return sample;
    }
    Placement placement = placement(sample.index(), epoch);
    int h = sample.height();
    int w = sample.width();
    int c = sample.channels();
    byte[] in = sample.pixels();
    byte[] out = new byte[in.length];
    // out(y, x) = padded(y + dy, x' + dx) with x' = x or its mirror, padded(y, x) = in(y - p, x -
    // p).
    for (int y = 0; y < h; y++) {
      int sy = y + placement.dy() - padding;
      if (sy < 0 || sy >= h) {
        continue;
      }
      for (int x = 0; x < w; x++) {
        int sx = (placement.flip() ? w - 1 - x : x) + placement.dx() - padding;
        if (sx >= 0 && sx < w) {
          System.arraycopy(in, (sy * w + sx) * c, out, (y * w + x) * c, c);
        }
      }
    }
    return sample.withPixels(out);
  }

  /** Where sample {@code index} is cropped in {@code epoch}, and whether it is mirrored. */
  Placement placement(long index, long epoch) {
    long h = mix(mix(mix(seed ^ SALT) + epoch) + index);
    int span = 2 * padding + 1;
    int dy = (int) Long.remainderUnsigned(mix(h + 1), span);
    int dx = (int) Long.remainderUnsigned(mix(h + 2), span);
    boolean mirrored = flip && (mix(h + 3) & 1L) == 1L;
    return new Placement(dy, dx, mirrored);
  }

  /**
   * The SplitMix64 finalizer: a fixed, well-mixed 64-bit hash. Spelt out here rather than taken
   * from java.util.Random so that augmentation is the same on every JVM version.
   */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Crop offset in the padded image (p, p = centred) and the flip. */
  record Placement(int dy, int dx, boolean flip) {}
}
