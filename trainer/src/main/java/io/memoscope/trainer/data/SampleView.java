package io.memoscope.trainer.data;

/**
 * One training or test image as the trainer needs it: what the Kafka layer makes of an {@code
 * ImageSample}. The arrays are not copied; nobody writes to them after construction.
 *
 * @param index position of the sample within its split
 * @param label real class
 * @param randomLabels the fixed random label of each labeling k
 * @param pixels unsigned 8-bit intensities in HWC row-major order
 * @param height image height
 * @param width image width
 * @param channels colour channels
 */
public record SampleView(
    long index, int label, int[] randomLabels, byte[] pixels, int height, int width, int channels) {

  public SampleView {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "sample "
              + index
              + ": shape must be positive, not "
              + height
              + "x"
              + width
              + "x"
              + channels);
    }
    if (pixels == null || pixels.length != height * width * channels) {
      throw new IllegalArgumentException(
          "sample "
              + index
              + ": expected "
              + height * width * channels
              + " pixel bytes, not "
              + (pixels == null ? "none" : pixels.length));
    }
    if (randomLabels == null) {
      throw new IllegalArgumentException("sample " + index + ": random labels missing");
    }
  }

  /** The same sample with other pixels of the same shape (augmentation). */
  public SampleView withPixels(byte[] newPixels) {
    return new SampleView(index, label, randomLabels, newPixels, height, width, channels);
  }
}
