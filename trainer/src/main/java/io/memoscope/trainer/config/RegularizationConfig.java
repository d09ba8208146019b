package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.REGULARIZATION_DROPOUT;
import static io.memoscope.trainer.config.Settings.REGULARIZATION_LABEL_SMOOTHING;
import static io.memoscope.trainer.config.Settings.REGULARIZATION_WEIGHT_DECAY;

/**
 * The classic regularizers (the λ regularizer lives with the heads, augmentation on its own).
 *
 * @param dropout probability of dropping a unit inside the extractor (0 = off)
 * @param weightDecay L2 coefficient on the weights of the extractor and the class head (0 = off)
 * @param labelSmoothing ε of label smoothing on the class loss (0 = off)
 */
public record RegularizationConfig(double dropout, double weightDecay, double labelSmoothing) {

  public RegularizationConfig {
    require(
        dropout >= 0 && dropout < 1,
        REGULARIZATION_DROPOUT,
        "must be in [0, 1), not " + Numbers.format(dropout));
    require(
        weightDecay >= 0 && Double.isFinite(weightDecay),
        REGULARIZATION_WEIGHT_DECAY,
        "must be >= 0, not " + Numbers.format(weightDecay));
    require(
        labelSmoothing >= 0 && labelSmoothing < 1,
        REGULARIZATION_LABEL_SMOOTHING,
        "must be in [0, 1), not " + Numbers.format(labelSmoothing));
  }

  public static RegularizationConfig defaults() {
    return new RegularizationConfig(0, 0, 0);
  }
}
