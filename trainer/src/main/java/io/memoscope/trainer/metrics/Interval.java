package io.memoscope.trainer.metrics;

import java.util.function.DoubleUnaryOperator;

/** An estimate with its 95 % interval [low, high]. */
public record Interval(double value, double low, double high) {

  /** Half the interval's width. */
  public double halfWidth() {
    return (high - low) / 2;
  }

  /** The estimate and both bounds through an increasing function (e.g. a chance correction). */
  public Interval map(DoubleUnaryOperator increasing) {
    return new Interval(
        increasing.applyAsDouble(value),
        increasing.applyAsDouble(low),
        increasing.applyAsDouble(high));
  }

  /** Whether {@code x} lies inside, bounds included. */
  public boolean contains(double x) {
    return low <= x && x <= high;
  }
}
