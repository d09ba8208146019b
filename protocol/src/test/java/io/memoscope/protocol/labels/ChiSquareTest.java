package io.memoscope.protocol.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The statistics helper must be right, or the random-label tests prove nothing. */
class ChiSquareTest {

  // Exact 0.999 quantiles of chi2(df), from scipy.stats.chi2.ppf(0.999, df).
  @ParameterizedTest
  @CsvSource({
    "9, 27.877164871256568",
    "81, 126.08255833316952",
    "99, 148.23035916510173",
    "999, 1142.8479838910355"
  })
  void wilsonHilfertyIsCloseToTheExactQuantile(int df, double exact) {
    double approx = ChiSquare.criticalValue(df, ChiSquare.Z_999);
    assertThat(approx).isGreaterThanOrEqualTo(exact).isCloseTo(exact, within(exact * 0.01));
  }

  @Test
  void uniformStatisticOfAKnownSample() {
    // (8-10)^2/10 + (12-10)^2/10 + 0 = 0.8
    assertThat(ChiSquare.uniformStatistic(new long[] {8, 12, 10})).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void independenceStatisticOfAKnownTable() {
    // Row sums 30/70, column sums 40/60, total 100: expected 12, 18, 28, 42.
    double expected = 64.0 / 12 + 64.0 / 18 + 64.0 / 28 + 64.0 / 42;
    assertThat(ChiSquare.independenceStatistic(new long[][] {{20, 10}, {20, 50}}))
        .isCloseTo(expected, within(1e-9));
  }
}
