package io.memoscope.protocol.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.protocol.avro.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The random-label function of docs/schema.md.
 *
 * <p>The statistical tests use fixed seeds, so they are deterministic: they either always pass or
 * always fail. Their thresholds are 0.999 quantiles, so a correct function fails one only if its
 * output is one of the rare extreme samples.
 */
class RandomLabelsTest {

  private static final int SAMPLES = 100_000;

  /**
   * Computed outside Java, with {@code printf '%s' KEY | sha256sum} and with Python's hashlib (the
   * first 16 hex digits, as an unsigned integer, mod n). The same table is in docs/schema.md.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "42|fashion-mnist|train|0|0|bad5785bda5a3f5b|7|427",
        "42|fashion-mnist|train|0|1|85a753eb120b4637|7|767",
        "42|fashion-mnist|train|1|0|83d14d90a4083294|6|756",
        "42|fashion-mnist|test|0|0|27b8265dfa3b998c|6|156",
        "0|cifar10|train|49999|0|41e0a4bb8aa7b940|4|144",
        "-7|synthetic|train|123456789|2|9f737e29ecb7dde6|6|46",
        "-9223372036854775808|demo|test|9007199254740993|0|d8ebb0478cf7f627|5|575",
      })
  void matchesIndependentlyComputedVectors(
      long seed,
      String dataset,
      Split split,
      long index,
      int k,
      String hash64,
      int labelMod10,
      int labelMod1000) {
    String key = RandomLabels.key(seed, dataset, split, index, k);

    assertThat(key).isEqualTo(seed + ":" + dataset + ":" + split + ":" + index + ":" + k);
    assertThat(Long.toHexString(RandomLabels.hash64(key))).isEqualTo(hash64);
    assertThat(RandomLabels.label(seed, dataset, split, index, k, 10)).isEqualTo(labelMod10);
    assertThat(RandomLabels.label(seed, dataset, split, index, k, 1000)).isEqualTo(labelMod1000);
  }

  @Test
  void isDeterministicAndDependsOnEveryPartOfTheKey() {
    int base = RandomLabels.label(42, "mnist", Split.train, 5, 0, 1_000_000);

    assertThat(RandomLabels.label(42, "mnist", Split.train, 5, 0, 1_000_000)).isEqualTo(base);
    // With n = 10^6 an accidental equal label has probability 1e-6 per variant.
    assertThat(RandomLabels.label(43, "mnist", Split.train, 5, 0, 1_000_000)).isNotEqualTo(base);
    assertThat(RandomLabels.label(42, "mnist2", Split.train, 5, 0, 1_000_000)).isNotEqualTo(base);
    assertThat(RandomLabels.label(42, "mnist", Split.test, 5, 0, 1_000_000)).isNotEqualTo(base);
    assertThat(RandomLabels.label(42, "mnist", Split.train, 6, 0, 1_000_000)).isNotEqualTo(base);
    assertThat(RandomLabels.label(42, "mnist", Split.train, 5, 1, 1_000_000)).isNotEqualTo(base);
  }

  @Test
  void labelsListsEveryLabelingInOrder() {
    assertThat(RandomLabels.labels(42, "fashion-mnist", Split.train, 0, 3, 10))
        .containsExactly(
            RandomLabels.label(42, "fashion-mnist", Split.train, 0, 0, 10),
            RandomLabels.label(42, "fashion-mnist", Split.train, 0, 1, 10),
            RandomLabels.label(42, "fashion-mnist", Split.train, 0, 2, 10));
  }

  @Test
  void oneClassAlwaysGivesZero() {
    for (long i = 0; i < 100; i++) {
      assertThat(RandomLabels.label(1, "d", Split.train, i, 0, 1)).isZero();
    }
  }

  @ParameterizedTest
  @CsvSource({"10", "1000"})
  void isUniform(int n) {
    long[] counts = new long[n];
    for (long i = 0; i < SAMPLES; i++) {
      int label = RandomLabels.label(2024, "uniformity", Split.train, i, 0, n);
      assertThat(label).isBetween(0, n - 1);
      counts[label]++;
    }
    double statistic = ChiSquare.uniformStatistic(counts);
    assertThat(statistic).isLessThan(ChiSquare.criticalValue(n - 1, ChiSquare.Z_999));
  }

  @Test
  void labelingsAreIndependent() {
    int n = 10;
    long[][] joint = new long[n][n];
    long equal = 0;
    for (long i = 0; i < SAMPLES; i++) {
      int first = RandomLabels.label(2024, "independence", Split.train, i, 0, n);
      int second = RandomLabels.label(2024, "independence", Split.train, i, 1, n);
      joint[first][second]++;
      if (first == second) {
        equal++;
      }
    }
    double statistic = ChiSquare.independenceStatistic(joint);
    assertThat(statistic).isLessThan(ChiSquare.criticalValue((n - 1) * (n - 1), ChiSquare.Z_999));
    // Binomial(100000, 0.1): standard deviation ~0.00095, so this allows about 5 of them.
    assertThat((double) equal / SAMPLES).isCloseTo(1.0 / n, within(0.005));
  }

  @Test
  void trainAndTestLabelsAreIndependent() {
    int n = 10;
    long[][] joint = new long[n][n];
    for (long i = 0; i < SAMPLES; i++) {
      joint[RandomLabels.label(7, "splits", Split.train, i, 0, n)][
          RandomLabels.label(7, "splits", Split.test, i, 0, n)]++;
    }
    assertThat(ChiSquare.independenceStatistic(joint))
        .isLessThan(ChiSquare.criticalValue((n - 1) * (n - 1), ChiSquare.Z_999));
  }

  @Test
  void rejectsInvalidArguments() {
    assertThatThrownBy(() -> RandomLabels.label(1, "d", Split.train, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n must be >= 1");
    assertThatThrownBy(() -> RandomLabels.label(1, "d", Split.train, -1, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index must be >= 0");
    assertThatThrownBy(() -> RandomLabels.label(1, "d", Split.train, 0, -1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k must be >= 0");
    assertThatThrownBy(() -> RandomLabels.labels(1, "d", Split.train, 0, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labelings must be >= 1");
    assertThatThrownBy(() -> RandomLabels.label(1, "a:b", Split.train, 0, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid data set name");
    assertThatThrownBy(() -> RandomLabels.label(1, "d", null, 0, 0, 10))
        .isInstanceOf(NullPointerException.class);
  }
}
