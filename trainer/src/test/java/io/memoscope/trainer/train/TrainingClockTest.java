package io.memoscope.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Training time between progress lines, on a clock the test moves by hand. */
class TrainingClockTest {

  private long now = 1_000_000_000L;

  @Test
  void aLapIsWallClockTimeWithoutTheExcludedWork() {
    TrainingClock clock = new TrainingClock(() -> now);
    now += 2_000_000_000L; // two seconds of training
    clock.excluding(() -> now += 5_000_000_000L); // a five-second evaluation
    now += 1_000_000_000L; // one more second of training

    assertThat(clock.lap()).isCloseTo(3.0, within(1e-9));
    now += 500_000_000L;
    assertThat(clock.lap()).as("the next lap starts fresh").isCloseTo(0.5, within(1e-9));
  }

  @Test
  void failingWorkIsExcludedToo() {
    TrainingClock clock = new TrainingClock(() -> now);
    assertThatThrownBy(
            () ->
                clock.excluding(
                    () -> {
                      now += 4_000_000_000L;
                      throw new IllegalStateException("checkpoint failed");
                    }))
        .hasMessage("checkpoint failed");
    now += 1_000_000_000L;

    assertThat(clock.lap()).isCloseTo(1.0, within(1e-9));
  }
}
