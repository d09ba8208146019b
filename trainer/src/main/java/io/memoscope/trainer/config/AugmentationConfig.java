package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.AUGMENTATION_CROP_PADDING;

/**
 * Data augmentation of training images.
 *
 * @param cropPadding random crop: pad by this many zero pixels on each side, then crop back to the
 *     original size at a random offset (0 = off)
 * @param horizontalFlip mirror left-right with probability 1/2; the CLI leaves it off for data sets
 *     where a mirrored image is a different thing (digits, text)
 */
public record AugmentationConfig(int cropPadding, boolean horizontalFlip) {

  public AugmentationConfig {
    require(cropPadding >= 0, AUGMENTATION_CROP_PADDING, "must be >= 0, not " + cropPadding);
  }

  public static AugmentationConfig defaults() {
    return new AugmentationConfig(0, false);
  }

  public boolean enabled() {
    return cropPadding > 0 || horizontalFlip;
  }
}
