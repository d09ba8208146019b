package io.memoscope.cli;

import io.memoscope.trainer.metrics.Interval;
import java.util.Locale;

/** How the report writes a number with its interval, in one place so every table reads alike. */
final class ExperimentFormat {

  private ExperimentFormat() {}

  /** {@code 0.196 [0.179, 0.214]}; empty for a missing (NaN) estimate. */
  static String interval(Interval interval) {
    if (interval == null || Double.isNaN(interval.value())) {
      return "";
    }
    return String.format(
        Locale.ROOT, "%.3f [%.3f, %.3f]", interval.value(), interval.low(), interval.high());
  }

  /** A difference, signed: {@code +0.012 [-0.010, +0.034]}. */
  static String signed(Interval interval) {
    if (interval == null || Double.isNaN(interval.value())) {
      return "";
    }
    return String.format(
        Locale.ROOT, "%+.3f [%+.3f, %+.3f]", interval.value(), interval.low(), interval.high());
  }
}
