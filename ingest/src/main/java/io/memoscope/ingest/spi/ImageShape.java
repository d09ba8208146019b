package io.memoscope.ingest.spi;

/** Height, width and channels (1 grey, 3 RGB) of every image of a data set. */
public record ImageShape(int height, int width, int channels) {

  public ImageShape {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "image shape must be positive, not " + height + "x" + width + "x" + channels);
    }
  }

  /** Bytes of one image: height·width·channels. */
  public int pixelCount() {
    return Math.multiplyExact(Math.multiplyExact(height, width), channels);
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}
