package io.memoscope.protocol.serde;

import java.util.Map;

/**
 * Largest image a reader accepts. Checked before anything is allocated from the image's dimensions,
 * so a hostile or broken record cannot make a consumer build a huge tensor.
 */
public record ImageLimits(int maxHeight, int maxWidth, int maxChannels) {

  public static final String MAX_HEIGHT_CONFIG = "memoscope.image.max.height";
  public static final String MAX_WIDTH_CONFIG = "memoscope.image.max.width";
  public static final String MAX_CHANNELS_CONFIG = "memoscope.image.max.channels";

  public static final ImageLimits DEFAULT = new ImageLimits(4096, 4096, 4);

  public ImageLimits {
    if (maxHeight < 1 || maxWidth < 1 || maxChannels < 1) {
      throw new IllegalArgumentException(
          "image limits must be >= 1, got " + maxHeight + " x " + maxWidth + " x " + maxChannels);
    }
  }

  /** Reads the three {@code memoscope.image.max.*} keys; a missing key keeps its default. */
  public static ImageLimits fromConfig(Map<String, ?> configs) {
    return new ImageLimits(
        ConfigValues.positiveInt(configs, MAX_HEIGHT_CONFIG, DEFAULT.maxHeight),
        ConfigValues.positiveInt(configs, MAX_WIDTH_CONFIG, DEFAULT.maxWidth),
        ConfigValues.positiveInt(configs, MAX_CHANNELS_CONFIG, DEFAULT.maxChannels));
  }
}
