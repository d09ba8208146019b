package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.MODEL_NAME;
import static io.memoscope.trainer.config.Settings.MODEL_WIDTH_SCALE;

import io.memoscope.trainer.net.Architectures;
import java.util.List;

/**
 * The feature extractor.
 *
 * @param name architecture, one of {@link #ARCHITECTURES}
 * @param batchNorm whether the extractor uses batch normalization
 * @param widthScale multiplies every layer's width (1 = the architecture's own)
 */
public record ModelConfig(String name, boolean batchNorm, double widthScale) {

  public static final List<String> ARCHITECTURES = Architectures.names();

  public ModelConfig {
    require(
        name != null && ARCHITECTURES.contains(name),
        MODEL_NAME,
        "must be one of " + String.join(", ", ARCHITECTURES) + ", not '" + name + "'");
    require(
        widthScale > 0 && Double.isFinite(widthScale),
        MODEL_WIDTH_SCALE,
        "must be positive, not " + Numbers.format(widthScale));
  }

  public static ModelConfig defaults() {
    return new ModelConfig("small-cnn", true, 1);
  }
}
