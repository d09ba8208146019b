package io.memoscope.trainer.net;

/**
 * Regularizers an architecture applies inside the extractor.
 *
 * @param dropout probability of dropping a unit (0 = off), applied where the architecture says
 * @param batchNorm whether to use batch normalization (on by default; off makes small
 *     finite-difference tests exact)
 * @param widthScale multiplies every layer's width (1 = the architecture's own)
 */
public record TrunkOptions(double dropout, boolean batchNorm, double widthScale) {

  public TrunkOptions {
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
    }
    if (widthScale <= 0) {
      throw new IllegalArgumentException("width scale must be positive, not " + widthScale);
    }
  }

  public static TrunkOptions defaults() {
    return new TrunkOptions(0, true, 1);
  }

  /** DL4J's dropOut takes the probability of *keeping* a unit. */
  public double retainProbability() {
    return 1 - dropout;
  }

  public int scaled(int width) {
    return Math.max(1, (int) Math.round(width * widthScale));
  }
}
