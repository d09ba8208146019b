package io.memoscope.trainer.metrics;

/**
 * {@code successes} of {@code trials} (e.g. random labels predicted right on an evaluation subset),
 * with its 95 % Wilson score interval.
 *
 * <p>Wilson rather than the normal approximation p ± 1.96·√(p(1−p)/n): it stays inside [0, 1] and
 * keeps close to its nominal coverage near 0 and 1, where a head that memorizes everything (or
 * nothing) sits; at chance level on 2,000 samples both give the same ±0.013.
 */
public record Proportion(long successes, long trials) {

  /** The standard normal quantile of a two-sided 95 % interval. */
  public static final double Z95 = 1.959963984540054;

  public Proportion {
    if (trials < 0 || successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          "a proportion needs 0 <= successes <= trials, not " + successes + " of " + trials);
    }
  }

  /** successes / trials; NaN when there were no trials. */
  public double value() {
    return trials == 0 ? Double.NaN : (double) successes / trials;
  }

  /** The 95 % Wilson score interval around {@link #value()}. */
  public Interval interval() {
    if (trials == 0) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN);
    }
    double n = trials;
    double p = value();
    double z2 = Z95 * Z95;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /**
   * This minus {@code other}, two independent proportions, with Newcombe's hybrid score interval
   * (his method 10, built from the two Wilson intervals).
   */
  public Interval minus(Proportion other) {
    Interval a = interval();
    Interval b = other.interval();
    double difference = a.value() - b.value();
    double below = Math.sqrt(square(a.value() - a.low()) + square(b.high() - b.value()));
    double above = Math.sqrt(square(a.high() - a.value()) + square(b.value() - b.low()));
    return new Interval(difference, difference - below, difference + above);
  }

  private static double square(double x) {
    return x * x;
  }
}
