package io.memoscope.ingest.source;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What makes a synthetic class: a few oriented sinusoidal gratings and Gaussian blobs, in
 * coordinates where the shorter image side spans 1 and the centre is 0. Gratings make a class
 * recognisable anywhere in the image but average out under shifts, so a pixel template sees mostly
 * the blobs; that gap is what keeps a nearest-mean classifier well below a small CNN.
 */
record SyntheticPrototype(List<Grating> gratings, List<Blob> blobs) {

  static final int GRATINGS = 2;
  static final int BLOBS = 2;

  /**
   * @param angle direction of the wave vector, radians
   * @param frequency cycles per shorter image side
   * @param phase radians at the image centre
   * @param amplitude peak deviation from mid grey, in units of full scale
   * @param colour weight per RGB channel (grey images use none of them)
   */
  record Grating(double angle, double frequency, double phase, double amplitude, double[] colour) {

    static Grating random(SplittableRandom random, double minAmplitude, double maxAmplitude) {
      return new Grating(
          random.nextDouble(Math.PI),
          random.nextDouble(1.5, 4.5),
          random.nextDouble(2 * Math.PI),
          random.nextDouble(minAmplitude, maxAmplitude),
          randomColour(random));
    }
  }

  /**
   * @param x centre, right of the image centre
   * @param y centre, below the image centre
   * @param sigma standard deviation
   * @param amplitude peak deviation from mid grey, negative for a dark blob
   * @param colour weight per RGB channel (grey images use none of them)
   */
  record Blob(double x, double y, double sigma, double amplitude, double[] colour) {

    static Blob random(
        SplittableRandom random, double reach, double minAmplitude, double maxAmplitude) {
      return new Blob(
          random.nextDouble(-reach, reach),
          random.nextDouble(-reach, reach),
          random.nextDouble(0.08, 0.18),
          (random.nextBoolean() ? 1 : -1) * random.nextDouble(minAmplitude, maxAmplitude),
          randomColour(random));
    }
  }

  static SyntheticPrototype of(long seed, int label) {
    SplittableRandom random = SyntheticHash.random(seed, SyntheticHash.PROTOTYPE, label);
    List<Grating> gratings = new ArrayList<>();
    for (int i = 0; i < GRATINGS; i++) {
      gratings.add(Grating.random(random, 0.12, 0.25));
    }
    List<Blob> blobs = new ArrayList<>();
    for (int i = 0; i < BLOBS; i++) {
      blobs.add(Blob.random(random, 0.3, 0.25, 0.45));
    }
    return new SyntheticPrototype(List.copyOf(gratings), List.copyOf(blobs));
  }

  /** Drawn for grey images too, so that a class's shapes do not depend on the channel count. */
  private static double[] randomColour(SplittableRandom random) {
    return new double[] {
      random.nextDouble(-1, 1), random.nextDouble(-1, 1), random.nextDouble(-1, 1)
    };
  }
}
