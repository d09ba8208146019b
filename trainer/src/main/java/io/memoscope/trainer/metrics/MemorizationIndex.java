package io.memoscope.trainer.metrics;

/**
 * The chance-corrected memorization index M = (RLA − 1/n) / (1 − 1/n): 0 at chance, 1 when every
 * random label is predicted.
 */
public final class MemorizationIndex {

  private MemorizationIndex() {}

  public static double of(double randomLabelAccuracy, int randomClasses) {
    double chance = 1.0 / randomClasses;
    return (randomLabelAccuracy - chance) / (1 - chance);
  }
}
