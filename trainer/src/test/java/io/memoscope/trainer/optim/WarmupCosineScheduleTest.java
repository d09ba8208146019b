package io.memoscope.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class WarmupCosineScheduleTest {

  // Peak 0.1, 10 warm-up steps, 110 steps in all: the cosine runs over steps 10..110.
  private final WarmupCosineSchedule schedule =
      new WarmupCosineSchedule(ScheduleType.ITERATION, 0.1, 10, 110, 0);

  @Test
  void warmsUpLinearlyFromTheFirstStep() {
    assertThat(schedule.valueAt(0, 0)).isCloseTo(0.01, within(1e-12));
    assertThat(schedule.valueAt(4, 0)).isCloseTo(0.05, within(1e-12));
    assertThat(schedule.valueAt(9, 0)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void thenFollowsHalfACosineToTheFloor() {
    assertThat(schedule.valueAt(10, 0)).isCloseTo(0.1, within(1e-12));
    assertThat(schedule.valueAt(35, 0))
        .isCloseTo(0.05 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
    assertThat(schedule.valueAt(60, 0)).isCloseTo(0.05, within(1e-12));
    assertThat(schedule.valueAt(109, 0))
        .isCloseTo(0.05 * (1 + Math.cos(Math.PI * 0.99)), within(1e-12))
        .isPositive();
    assertThat(schedule.valueAt(110, 0)).isCloseTo(0, within(1e-12));
    assertThat(schedule.valueAt(500, 0)).isCloseTo(0, within(1e-12));
  }

  @Test
  void aFloorAndNoWarmUp() {
    WarmupCosineSchedule floored = new WarmupCosineSchedule(ScheduleType.ITERATION, 1, 0, 100, 0.1);
    assertThat(floored.valueAt(0, 0)).isEqualTo(1);
    assertThat(floored.valueAt(50, 0)).isCloseTo(0.55, within(1e-12));
    assertThat(floored.valueAt(100, 0)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void equalPeakAndFloorIsConstantAfterTheWarmUp() {
    WarmupCosineSchedule constant =
        new WarmupCosineSchedule(ScheduleType.ITERATION, 0.2, 4, 100, 0.2);
    assertThat(constant.valueAt(1, 0)).isCloseTo(0.1, within(1e-12));
    assertThat(constant.valueAt(4, 0)).isEqualTo(0.2);
    assertThat(constant.valueAt(77, 0)).isEqualTo(0.2);
  }

  @Test
  void epochSchedulesCountEpochs() {
    WarmupCosineSchedule byEpoch = new WarmupCosineSchedule(ScheduleType.EPOCH, 0.1, 0, 10, 0);
    assertThat(byEpoch.valueAt(999, 5)).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void clonesAreEqualAndIndependent() {
    ISchedule copy = schedule.clone();
    assertThat(copy).isEqualTo(schedule).hasSameHashCodeAs(schedule).isNotSameAs(schedule);
  }

  @Test
  void survivesDl4jsJsonAsPartOfAnUpdater() throws Exception {
    IUpdater updater = new Nesterovs(schedule, 0.9);
    String json = NeuralNetConfiguration.mapper().writeValueAsString(updater);
    assertThat(json).contains(WarmupCosineSchedule.class.getName());
    IUpdater back = NeuralNetConfiguration.mapper().readValue(json, IUpdater.class);
    assertThat(back).isEqualTo(updater);
    assertThat(((Nesterovs) back).getLearningRateSchedule()).isEqualTo(schedule);
  }
}
