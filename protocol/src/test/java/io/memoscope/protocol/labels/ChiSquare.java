package io.memoscope.protocol.labels;

/**
 * Chi-square statistics and critical values for the uniformity and independence tests.
 *
 * <p>The critical value uses the Wilson-Hilferty approximation: if X ~ chi2(df) then (X/df)^(1/3)
 * is close to normal with mean 1 - 2/(9 df) and variance 2/(9 df), so the p-quantile is df * (1 -
 * 2/(9 df) + z_p * sqrt(2/(9 df)))^3. It errs on the high side by 0.7% at df = 9 and by less than
 * 0.05% from df = 81 on (checked against exact quantiles in {@code ChiSquareTest}).
 */
final class ChiSquare {

  /** Standard normal 0.999 quantile. */
  static final double Z_999 = 3.090232306167813;

  private ChiSquare() {}

  static double criticalValue(int degreesOfFreedom, double z) {
    double v = 2.0 / (9.0 * degreesOfFreedom);
    double cube = 1.0 - v + z * Math.sqrt(v);
    return degreesOfFreedom * cube * cube * cube;
  }

  /** Goodness of fit against equal expected counts; df = counts.length - 1. */
  static double uniformStatistic(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double expected = (double) total / counts.length;
    double statistic = 0;
    for (long c : counts) {
      statistic += (c - expected) * (c - expected) / expected;
    }
    return statistic;
  }

  /** Pearson's test of independence on an r x c table; df = (r - 1)(c - 1). */
  static double independenceStatistic(long[][] table) {
    int rows = table.length;
    int cols = table[0].length;
    long[] rowSums = new long[rows];
    long[] colSums = new long[cols];
    long total = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        rowSums[r] += table[r][c];
        colSums[c] += table[r][c];
        total += table[r][c];
      }
    }
    double statistic = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double expected = (double) rowSums[r] * colSums[c] / total;
        statistic += (table[r][c] - expected) * (table[r][c] - expected) / expected;
      }
    }
    return statistic;
  }
}
