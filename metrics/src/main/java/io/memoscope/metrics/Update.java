package io.memoscope.metrics;

/**
 * What one event does to one series: set a gauge, add to a counter, or raise a counter to a
 * cumulative value the event reports (a counter never goes down, even if an event repeats an older
 * cumulative value).
 */
public record Update(Series series, Op op, double value) {

  public enum Op {
    SET,
    ADD,
    MAX
  }

  /** The series' value after this update, given its value before ({@code null}: none yet). */
  public double apply(Double before) {
    double old = before == null ? 0.0 : before;
    return switch (op) {
      case SET -> value;
      case ADD -> old + value;
      case MAX -> Math.max(old, value);
    };
  }
}
