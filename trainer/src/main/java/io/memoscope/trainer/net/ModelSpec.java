package io.memoscope.trainer.net;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Everything needed to build a multi-head network: extractor, class head, random-label heads and
 * how they are optimised.
 *
 * @param architecture name of the extractor ({@code small-cnn}, {@code wrn-16-4})
 * @param input image shape
 * @param numClasses N, real classes
 * @param heads the random-label heads
 * @param trunk dropout and friends inside the extractor
 * @param weightDecay L2 coefficient on the weights of the extractor and the class head (0 = off)
 * @param labelSmoothing ε of label smoothing on the class loss (0 = off)
 * @param updater optimiser (with its learning-rate schedule) of the extractor and class head; each
 *     head gets its own copy
 * @param seed initialisation and dropout seed
 * @param dataType FLOAT normally, DOUBLE for gradient checks
 * @param readout how heads (and probes) read their taps
 * @param readoutWidth features every head reads under {@link Readout#EQUAL}; 0 = the penultimate
 *     tap's width
 */
public record ModelSpec(
    String architecture,
    InputShape input,
    int numClasses,
    List<HeadSpec> heads,
    TrunkOptions trunk,
    double weightDecay,
    double labelSmoothing,
    IUpdater updater,
    long seed,
    DataType dataType,
    Readout readout,
    int readoutWidth) {

  public ModelSpec {
    heads = List.copyOf(heads);
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, not " + numClasses);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be >= 0, not " + weightDecay);
    }
    if (labelSmoothing < 0 || labelSmoothing >= 1) {
      throw new IllegalArgumentException(
          "label smoothing must be in [0, 1), not " + labelSmoothing);
    }
    if (readout == null || readoutWidth < 0) {
      throw new IllegalArgumentException(
          "a readout and a width >= 0 are needed, not " + readout + "/" + readoutWidth);
    }
  }

  /** A spec with the default readout: equal, as wide as the penultimate tap. */
  public ModelSpec(
      String architecture,
      InputShape input,
      int numClasses,
      List<HeadSpec> heads,
      TrunkOptions trunk,
      double weightDecay,
      double labelSmoothing,
      IUpdater updater,
      long seed,
      DataType dataType) {
    this(
        architecture,
        input,
        numClasses,
        heads,
        trunk,
        weightDecay,
        labelSmoothing,
        updater,
        seed,
        dataType,
        Readout.EQUAL,
        0);
  }
}
