package io.memoscope.trainer.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch, ready for the network.
 *
 * @param features images [B, C, H, W], intensities scaled to [0, 1]
 * @param labels real classes, one-hot [B, N]
 * @param randomLabels per labeling k, the random labels one-hot [B, n]
 * @param indices the sample index of each row
 */
public record Batch(
    INDArray features, INDArray labels, List<INDArray> randomLabels, long[] indices) {

  public Batch {
    randomLabels = List.copyOf(randomLabels);
    long rows = indices.length;
    if (features.rank() != 4
        || features.size(0) != rows
        || labels.rank() != 2
        || labels.size(0) != rows) {
      throw new IllegalArgumentException(
          "batch of "
              + rows
              + " samples has features "
              + features.shapeInfoToString()
              + " and labels "
              + labels.shapeInfoToString());
    }
    for (INDArray random : randomLabels) {
      if (random.rank() != 2 || random.size(0) != rows) {
        throw new IllegalArgumentException(
            "batch of " + rows + " samples has random labels " + random.shapeInfoToString());
      }
    }
  }

  public int size() {
    return indices.length;
  }

  /** K: how many random labelings the batch carries. */
  public int labelings() {
    return randomLabels.size();
  }
}
