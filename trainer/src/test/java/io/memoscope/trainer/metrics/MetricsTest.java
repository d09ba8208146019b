package io.memoscope.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.trainer.heads.MultiHeadModel.HeadStep;
import io.memoscope.trainer.heads.MultiHeadModel.StepResult;
import io.memoscope.trainer.net.HeadSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void theMemorizationIndexIsZeroAtChanceAndOneWhenEverythingIsMemorized() {
    assertThat(MemorizationIndex.of(0.1, 10)).isCloseTo(0, within(1e-12));
    assertThat(MemorizationIndex.of(1.0, 10)).isCloseTo(1, within(1e-12));
    assertThat(MemorizationIndex.of(0.55, 10)).isCloseTo(0.5, within(1e-12));
    assertThat(MemorizationIndex.of(0.001, 1000)).isCloseTo(0, within(1e-12));
  }

  @Test
  void runningMetricsAverageOverSamplesAndStartOverAfterADrain() {
    RunningMetrics running =
        new RunningMetrics(List.of(new HeadSpec("penultimate", 0, 10, 0.5, 0)));
    running.add(
        new StepResult(10, 5, 2.0, List.of(new HeadStep("penultimate/0", 10, 1, 2.3, 0.1))));
    running.add(
        new StepResult(30, 27, 1.0, List.of(new HeadStep("penultimate/0", 30, 9, 2.1, 0.2))));

    StepMetrics metrics = running.drain(2, 1, 0.1, 0.5);

    assertThat(metrics.samples()).isEqualTo(40);
    assertThat(metrics.trainAccuracy()).isCloseTo(32.0 / 40, within(1e-12));
    assertThat(metrics.classLoss()).isCloseTo((20.0 + 30.0) / 40, within(1e-12));
    HeadStepMetrics head = metrics.heads().get(0);
    assertThat(head.runningAccuracy()).isCloseTo(10.0 / 40, within(1e-12));
    assertThat(head.randomLoss()).isCloseTo((23.0 + 63.0) / 40, within(1e-12));
    assertThat(head.regularizerLoss()).isCloseTo((1.0 + 6.0) / 40, within(1e-12));
    assertThat(head.lambda()).isEqualTo(0.5);
    assertThat(metrics.samplesPerSecond()).isCloseTo(80.0, within(1e-12));
    assertThat(metrics.learningRate()).isEqualTo(0.1);
    assertThat(running.drain(3, 1, 0.1, 0).samples()).isZero();
  }
}
