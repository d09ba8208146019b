package io.memoscope.cli;

/**
 * Quantiles of Student's t distribution, for intervals over a handful of seeds. Written out here
 * (regularized incomplete beta by Lentz's continued fraction, then bisection) rather than taken
 * from a library the cli does not otherwise depend on; {@code StudentTTest} checks it against the
 * published table.
 */
final class StudentT {

  private StudentT() {}

  /**
   * The two-sided 95 % critical value t_{0.975, df}: 12.706 for 1 degree of freedom, 1.960 as df
   * grows.
   */
  static double quantile975(int degreesOfFreedom) {
    return quantile(0.975, degreesOfFreedom);
  }

  /** The p-quantile, 0.5 ≤ p < 1, of t with df ≥ 1 degrees of freedom. */
  static double quantile(double p, int degreesOfFreedom) {
    if (degreesOfFreedom < 1 || !(p >= 0.5 && p < 1)) {
      throw new IllegalArgumentException(
          "t quantile needs df ≥ 1 and 0.5 ≤ p < 1, got df " + degreesOfFreedom + ", p " + p);
    }
    double low = 0;
    double high = 1;
    while (cdf(high, degreesOfFreedom) < p) {
      high *= 2;
    }
    // The CDF is increasing: bisection to well below the 3 decimals a report prints.
    for (int i = 0; i < 200 && high - low > 1e-12 * high; i++) {
      double middle = (low + high) / 2;
      if (cdf(middle, degreesOfFreedom) < p) {
        low = middle;
      } else {
        high = middle;
      }
    }
    return (low + high) / 2;
  }

  /** P(T ≤ t) for t ≥ 0: 1 − I_x(df/2, 1/2)/2 with x = df/(df + t²). */
  static double cdf(double t, int degreesOfFreedom) {
    double x = degreesOfFreedom / (degreesOfFreedom + t * t);
    return 1 - 0.5 * regularizedBeta(x, degreesOfFreedom / 2.0, 0.5);
  }

  /** I_x(a, b), by the continued fraction on whichever side of the mean converges fast. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front =
        Math.exp(
            logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    if (x < (a + 1) / (a + b + 2)) {
      return front * continuedFraction(x, a, b) / a;
    }
    return 1 - front * continuedFraction(1 - x, b, a) / b;
  }

  private static double continuedFraction(double x, double a, double b) {
    final double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 500; m++) {
      int m2 = 2 * m;
      double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + even * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + even / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 + odd * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + odd / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double step = d * c;
      h *= step;
      if (Math.abs(step - 1) < 1e-15) {
        break;
      }
    }
    return h;
  }

  /** ln Γ(x) for x > 0, Lanczos (g = 7, 9 terms): about 15 digits. */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double[] g = {
      0.99999999999980993,
      676.5203681218851,
      -1259.1392167224028,
      771.32342877765313,
      -176.61502916214059,
      12.507343278686905,
      -0.13857109526572012,
      9.9843695780195716e-6,
      1.5056327351493116e-7
    };
    double z = x - 1;
    double sum = g[0];
    for (int i = 1; i < g.length; i++) {
      sum += g[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
