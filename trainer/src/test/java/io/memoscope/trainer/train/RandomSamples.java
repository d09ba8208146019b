package io.memoscope.trainer.train;

import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.trainer.data.SampleView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Noise images for loop tests: 12×12 grey, class {@code index % 10}, one labeling of 10 random
 * classes.
 */
final class RandomSamples {

  private RandomSamples() {}

  /**
   * {@code count} samples; pixels from {@code seed}, random labels of the data set {@code name}.
   */
  static List<SampleView> views(int count, long seed, String name) {
    Random random = new Random(seed);
    List<SampleView> views = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] pixels = new byte[144];
      random.nextBytes(pixels);
      views.add(
          new SampleView(
              i,
              i % 10,
              new int[] {RandomLabels.label(1, name, Split.train, i, 0, 10)},
              pixels,
              12,
              12,
              1));
    }
    return views;
  }
}
