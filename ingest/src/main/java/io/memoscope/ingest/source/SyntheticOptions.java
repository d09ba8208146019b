package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;

/**
 * The validated options of the synthetic source.
 *
 * @param classes number of classes, 1 to {@link #MAX_CLASSES}
 * @param shape size of every image
 * @param trainCount samples in the train split
 * @param testCount samples in the test split
 * @param seed seeds the class prototypes, the per-sample variation and the labels
 */
record SyntheticOptions(int classes, ImageShape shape, long trainCount, long testCount, long seed) {

  static final String CLASSES = "classes";
  static final String HEIGHT = "height";
  static final String WIDTH = "width";
  static final String CHANNELS = "channels";
  static final String COUNT = "count";
  static final String TEST_COUNT = "test-count";
  static final String SEED = "seed";

  static final int DEFAULT_CLASSES = 10;
  static final int DEFAULT_SIZE = 28;
  static final long DEFAULT_COUNT = 6000;
  static final long DEFAULT_SEED = 42;

  /**
   * Each label costs a shuffle of all classes, and more classes would not stay apart in small
   * images.
   */
  static final int MAX_CLASSES = 1000;

  /** Keeps height·width·channels well inside an int (one image is one byte array). */
  static final int MAX_SIDE = 4096;

  static SyntheticOptions parse(SourceOptions options) {
    int classes = within(options, CLASSES, DEFAULT_CLASSES, 1, MAX_CLASSES);
    int height = within(options, HEIGHT, DEFAULT_SIZE, 1, MAX_SIDE);
    int width = within(options, WIDTH, DEFAULT_SIZE, 1, MAX_SIDE);
    int channels = options.intValue(CHANNELS, 1);
    if (channels != 1 && channels != 3) {
      throw new SourceException(
          "option " + CHANNELS + ": must be 1 (grey) or 3 (RGB), not " + channels);
    }
    long trainCount = options.longValue(COUNT, DEFAULT_COUNT);
    if (trainCount < 1) {
      throw new SourceException("option " + COUNT + ": must be at least 1, not " + trainCount);
    }
    long testCount = options.longValue(TEST_COUNT, defaultTestCount(trainCount));
    if (testCount < 0) {
      throw new SourceException("option " + TEST_COUNT + ": must be at least 0, not " + testCount);
    }
    long seed = options.longValue(SEED, DEFAULT_SEED);
    return new SyntheticOptions(
        classes, new ImageShape(height, width, channels), trainCount, testCount, seed);
  }

  /** The usual 6:1 train/test ratio of MNIST-like sets: count/6 rounded up. */
  static long defaultTestCount(long trainCount) {
    return Math.max(1, trainCount / 6 + (trainCount % 6 == 0 ? 0 : 1));
  }

  long count(Split split) {
    return split == Split.train ? trainCount : testCount;
  }

  private static int within(SourceOptions options, String key, int fallback, int min, int max) {
    int value = options.intValue(key, fallback);
    if (value < min || value > max) {
      throw new SourceException(
          "option " + key + ": must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }
}
