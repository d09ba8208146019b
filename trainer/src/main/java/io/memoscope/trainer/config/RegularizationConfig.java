package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;

/**
 * The classic regularizers (the λ regularizer lives with the heads, augmentation on its own).
 *
 * @param dropout probability of dropping a unit inside the extractor (0 = off)
 * @param weightDecay L2 coefficient on the weights of the extractor and the class head (0 = off)
 * @param labelSmoothing ε of label smoothing on the class loss (0 = off)
 */
public record RegularizationConfig(double dropout, double weightDecay, double labelSmoothing) {

  public RegularizationConfig {
    require(dropout >= 0 && dropout < 1, "regularization.dropout", "must be in [0, 1), not " + Numbers.format(dropout));
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "regularization.weight-decay",
        "must be >= 0, not " + Numbers.format(weightDecay));
    require(labelSmoothing >= 0 && labelSmoothing < 1, "regularization.label-smoothing",
        "must be in [0, 1), not " + Numbers.format(labelSmoothing));
  }

  public static RegularizationConfig defaults() {
    return new RegularizationConfig(0, 0, 0);
  }
}
