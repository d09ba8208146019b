package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;

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
    require(name != null && ARCHITECTURES.contains(name), "model.name",
        "must be one of " + String.join(", ", ARCHITECTURES) + ", not '" + name + "'");
    require(widthScale > 0 && Double.isFinite(widthScale), "model.width-scale",
        "must be positive, not " + Numbers.format(widthScale));
  }

  public static ModelConfig defaults() {
    return new ModelConfig("small-cnn", true, 1);
  }
}
