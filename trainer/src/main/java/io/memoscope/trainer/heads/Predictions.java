package io.memoscope.trainer.heads;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Which samples a classifier predicts right: what every evaluation and probe fit counts. */
public final class Predictions {

  private Predictions() {}

  /**
   * Per sample (row), whether the highest of {@code scores} is at the labelled class.
   *
   * @param scores [N, classes] probabilities or logits
   * @param oneHot [N, classes] labels
   */
  public static boolean[] hits(INDArray scores, INDArray oneHot) {
    int[] equal = scores.argMax(1).eq(oneHot.argMax(1)).castTo(DataType.INT).toIntVector();
    boolean[] hits = new boolean[equal.length];
    for (int i = 0; i < equal.length; i++) {
      hits[i] = equal[i] != 0;
    }
    return hits;
  }
}
