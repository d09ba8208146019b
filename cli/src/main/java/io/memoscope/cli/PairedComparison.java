package io.memoscope.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A configuration against the baseline, seed by seed: d_s = value(configuration, s) −
 * value(baseline, s) for every seed both have a value for, and the 95 % interval of the mean
 * difference over those seeds ({@link SeedInterval}). Pairing removes what a seed does to both runs
 * alike (the same initialisation, data order and random labels), so the interval is that of the
 * effect alone.
 *
 * @param seeds the seeds paired, ascending
 * @param differences d_s in the order of {@code seeds}
 */
record PairedComparison(List<Long> seeds, List<Double> differences, SeedInterval difference) {

  /** The stated rule's three outcomes, plus "not measured" under 2 pairs. */
  enum Effect {
    LOWERS("lowers"),
    NO_MEASURABLE_EFFECT("no measurable effect"),
    RAISES("raises"),
    NOT_MEASURED("not measured (needs ≥ 2 seeds with both runs)");

    final String text;

    Effect(String text) {
      this.text = text;
    }
  }

  /** Pairs the seeds both maps hold with a finite value. */
  static PairedComparison of(Map<Long, Double> configuration, Map<Long, Double> baseline) {
    List<Long> seeds = new ArrayList<>();
    List<Double> differences = new ArrayList<>();
    new TreeMap<>(configuration)
        .forEach(
            (seed, value) -> {
              Double reference = baseline.get(seed);
              if (reference != null && Double.isFinite(value) && Double.isFinite(reference)) {
                seeds.add(seed);
                differences.add(value - reference);
              }
            });
    return new PairedComparison(
        List.copyOf(seeds), List.copyOf(differences), SeedInterval.of(differences));
  }

  /**
   * "lowers" when the whole interval is below 0, "raises" when above, else "no measurable effect".
   */
  Effect effect() {
    return switch (difference.against(0)) {
      case BELOW -> Effect.LOWERS;
      case ABOVE -> Effect.RAISES;
      case CONTAINS -> Effect.NO_MEASURABLE_EFFECT;
      case NOT_MEASURED -> Effect.NOT_MEASURED;
    };
  }

  /** {@code −0.028 [−0.040, −0.016], n = 3: lowers}. */
  String text() {
    return difference.signed() + ": " + effect().text;
  }
}
