package io.memoscope.cli;

import java.util.Collection;
import java.util.Locale;

/**
 * A value measured once per seed, summarised: the mean over seeds and its 95 % Student t interval
 * mean ± t_{0.975, n−1} · sd/√n (sd the sample standard deviation). It measures how much the mean
 * would move with other seeds; the per-run binomial (Wilson) intervals measure the evaluation
 * subset's sampling and are reported beside it. With one seed there is no interval (low and high
 * are NaN); with none, the mean is NaN too.
 */
record SeedInterval(int n, double mean, double low, double high) {

  /**
   * Where an interval lies relative to a reference value: the three-way outcome every rule uses.
   */
  enum Side {
    BELOW,
    CONTAINS,
    ABOVE,
    NOT_MEASURED
  }

  static SeedInterval of(Collection<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new SeedInterval(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
    if (n == 1) {
      return new SeedInterval(1, mean, Double.NaN, Double.NaN);
    }
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    double halfWidth = StudentT.quantile975(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
    return new SeedInterval(n, mean, mean - halfWidth, mean + halfWidth);
  }

  /** An interval exists: at least 2 seeds. */
  boolean measured() {
    return n >= 2;
  }

  /** BELOW when the whole interval is below the reference, ABOVE when above, else CONTAINS. */
  Side against(double reference) {
    if (!measured()) {
      return Side.NOT_MEASURED;
    }
    return high < reference ? Side.BELOW : low > reference ? Side.ABOVE : Side.CONTAINS;
  }

  /**
   * {@code 0.196 [0.179, 0.214], n = 3}; with one seed {@code 0.196 (n = 1, no interval over
   * seeds)}.
   */
  String text() {
    return format("%.3f");
  }

  /** As {@link #text()}, signed: for differences. */
  String signed() {
    return format("%+.3f");
  }

  private String format(String number) {
    if (n == 0) {
      return "no value";
    }
    if (n == 1) {
      return String.format(Locale.ROOT, number + " (n = 1, no interval over seeds)", printed(mean));
    }
    return String.format(
        Locale.ROOT,
        number + " [" + number + ", " + number + "], n = %d",
        printed(mean),
        printed(low),
        printed(high),
        n);
  }

  /** A value that prints as zero at 3 decimals prints as +0.000, not as a sign-only "-0.000". */
  private static double printed(double value) {
    return Math.abs(value) < 0.0005 ? 0.0 : value;
  }
}
