package io.memoscope.trainer.net;

/** Height, width and channels of the images a network takes (from the data set's DatasetInfo). */
public record InputShape(int height, int width, int channels) {

  public InputShape {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "input shape must be positive: " + height + "x" + width + "x" + channels);
    }
  }

  public int size() {
    return height * width * channels;
  }
}
