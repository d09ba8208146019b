package io.memoscope.trainer.config;

import java.math.BigDecimal;

/** How a setting's number is written into the flat map and into messages. */
final class Numbers {

  private Numbers() {}

  /**
   * The shortest decimal that parses back to the same double, without exponent or trailing zeros
   * ({@code 0.05}, {@code 100000}, {@code 0}), so manifests stay readable and round-trip.
   */
  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return "0";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
