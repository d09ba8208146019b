package io.memoscope.trainer.optim;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warm-up to {@code peakValue}, then half a cosine down to {@code finalValue} at {@code
 * totalSteps}, then flat. With {@code finalValue == peakValue} it is warm-up + constant.
 *
 * <p>Warm-up step t (0-based) uses {@code peak·(t+1)/warmupSteps}: the first update already moves
 * the weights and the last warm-up step reaches the peak. The cosine runs over [warmupSteps,
 * totalSteps].
 *
 * <p>DL4J writes the schedule into the network's JSON (checkpoints), so it follows ND4J's own
 * schedules: shaded Jackson annotations, value equality, {@link #clone()}.
 */
public final class WarmupCosineSchedule implements ISchedule {

  @JsonProperty private final ScheduleType scheduleType;
  @JsonProperty private final double peakValue;
  @JsonProperty private final long warmupSteps;
  @JsonProperty private final long totalSteps;
  @JsonProperty private final double finalValue;

  @JsonCreator
  public WarmupCosineSchedule(
      @JsonProperty("scheduleType") ScheduleType scheduleType,
      @JsonProperty("peakValue") double peakValue,
      @JsonProperty("warmupSteps") long warmupSteps,
      @JsonProperty("totalSteps") long totalSteps,
      @JsonProperty("finalValue") double finalValue) {
    if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "schedule needs 0 <= warm-up steps <= total steps and total >= 1, not warm-up "
              + warmupSteps
              + " of "
              + totalSteps);
    }
    if (!(peakValue >= 0) || !(finalValue >= 0) || finalValue > peakValue) {
      throw new IllegalArgumentException(
          "schedule needs 0 <= final value <= peak value, not " + finalValue + " and " + peakValue);
    }
    this.scheduleType = Objects.requireNonNull(scheduleType, "scheduleType");
    this.peakValue = peakValue;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.finalValue = finalValue;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    long t = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
    if (t < warmupSteps) {
      return peakValue * (t + 1) / warmupSteps;
    }
    long decaySteps = totalSteps - warmupSteps;
    if (decaySteps == 0) {
      return finalValue;
    }
    double progress = Math.min(1.0, (double) (t - warmupSteps) / decaySteps);
    return finalValue + (peakValue - finalValue) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  @Override
  public ISchedule clone() {
    return new WarmupCosineSchedule(scheduleType, peakValue, warmupSteps, totalSteps, finalValue);
  }

  public ScheduleType scheduleType() {
    return scheduleType;
  }

  public double peakValue() {
    return peakValue;
  }

  public long warmupSteps() {
    return warmupSteps;
  }

  public long totalSteps() {
    return totalSteps;
  }

  public double finalValue() {
    return finalValue;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WarmupCosineSchedule s
        && s.scheduleType == scheduleType
        && Double.compare(s.peakValue, peakValue) == 0
        && s.warmupSteps == warmupSteps
        && s.totalSteps == totalSteps
        && Double.compare(s.finalValue, finalValue) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleType, peakValue, warmupSteps, totalSteps, finalValue);
  }

  @Override
  public String toString() {
    return "WarmupCosineSchedule("
        + scheduleType
        + ", peak "
        + peakValue
        + ", warm-up "
        + warmupSteps
        + ", total "
        + totalSteps
        + ", final "
        + finalValue
        + ")";
  }
}
