package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.cli.PairedComparison.Effect;
import io.memoscope.cli.SeedInterval.Side;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The statistics under every verdict: Student's t quantile, the interval over seeds, the paired
 * rule.
 */
class PairedComparisonTest {

  @Test
  void tQuantileMatchesThePublishedTable() {
    // t_{0.975, df} from any table of Student's t.
    assertThat(StudentT.quantile975(1)).isCloseTo(12.7062, within(1e-4));
    assertThat(StudentT.quantile975(2)).isCloseTo(4.3027, within(1e-4));
    assertThat(StudentT.quantile975(4)).isCloseTo(2.7764, within(1e-4));
    assertThat(StudentT.quantile975(9)).isCloseTo(2.2622, within(1e-4));
    assertThat(StudentT.quantile975(29)).isCloseTo(2.0452, within(1e-4));
    assertThat(StudentT.quantile975(100_000)).isCloseTo(1.9600, within(1e-4));
    assertThat(StudentT.quantile(0.95, 5)).isCloseTo(2.0150, within(1e-4));
  }

  @Test
  void intervalOverSeedsIsTheMeanPlusMinusTTimesTheStandardError() {
    SeedInterval interval = SeedInterval.of(List.of(1.0, 2.0, 3.0));

    // sd 1, n 3: half-width 4.3027/√3 = 2.4842.
    assertThat(interval.n()).isEqualTo(3);
    assertThat(interval.mean()).isEqualTo(2.0);
    assertThat(interval.low()).isCloseTo(2 - 2.4842, within(1e-4));
    assertThat(interval.high()).isCloseTo(2 + 2.4842, within(1e-4));
    assertThat(interval.text()).isEqualTo("2.000 [-0.484, 4.484], n = 3");
    assertThat(interval.against(-0.5)).isEqualTo(Side.ABOVE);
    assertThat(interval.against(0)).isEqualTo(Side.CONTAINS);
    assertThat(interval.against(4.5)).isEqualTo(Side.BELOW);
  }

  @Test
  void oneSeedHasAMeanButNoInterval() {
    SeedInterval one = SeedInterval.of(List.of(0.2));

    assertThat(one.measured()).isFalse();
    assertThat(one.low()).isNaN();
    assertThat(one.text()).isEqualTo("0.200 (n = 1, no interval over seeds)");
    assertThat(one.against(0)).isEqualTo(Side.NOT_MEASURED);
    assertThat(SeedInterval.of(List.of()).text()).isEqualTo("no value");
  }

  @Test
  void pairsOnlyTheSeedsBothSidesHaveAndReadsTheIntervalAgainstZero() {
    Map<Long, Double> baseline = Map.of(1L, 0.20, 2L, 0.21, 3L, 0.19, 4L, 0.50);
    Map<Long, Double> lower = Map.of(1L, 0.16, 2L, 0.17, 3L, 0.15, 5L, 0.0);

    PairedComparison paired = PairedComparison.of(lower, baseline);
    assertThat(paired.seeds()).containsExactly(1L, 2L, 3L);
    assertThat(paired.difference().mean()).isCloseTo(-0.04, within(1e-12));
    assertThat(paired.effect()).isEqualTo(Effect.LOWERS);
    assertThat(paired.text()).endsWith("n = 3: lowers");

    // The same spread across seeds, but paired it is one constant shift: unpaired intervals would
    // overlap.
    Map<Long, Double> higher = Map.of(1L, 0.22, 2L, 0.23, 3L, 0.21);
    assertThat(PairedComparison.of(higher, baseline).effect()).isEqualTo(Effect.RAISES);

    Map<Long, Double> mixed = Map.of(1L, 0.21, 2L, 0.20, 3L, 0.20);
    assertThat(PairedComparison.of(mixed, baseline).effect())
        .isEqualTo(Effect.NO_MEASURABLE_EFFECT);

    Map<Long, Double> oneSeed = Map.of(1L, 0.10);
    assertThat(PairedComparison.of(oneSeed, baseline).effect()).isEqualTo(Effect.NOT_MEASURED);
  }
}
