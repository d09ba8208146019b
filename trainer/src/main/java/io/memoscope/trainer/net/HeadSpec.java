package io.memoscope.trainer.net;

import io.memoscope.protocol.HeadId;

/**
 * One random-label head H_k: where it reads, which labeling it predicts, and how it acts on the
 * extractor.
 *
 * @param tap name of the tap it reads (see {@link Trunk})
 * @param labeling which of the sample's random labelings it predicts (0-based)
 * @param classes n: random-label classes
 * @param lambda weight of its memorization regularizer λ·L_reg on the extractor (0 = pure observer)
 * @param hiddenWidth 0 for a linear head, else the width of its one hidden layer (MLP head)
 */
public record HeadSpec(String tap, int labeling, int classes, double lambda, int hiddenWidth) {

  public HeadSpec {
    if (labeling < 0) {
      throw new IllegalArgumentException("labeling must be >= 0, not " + labeling);
    }
    if (classes < 2) {
      throw new IllegalArgumentException(
          "a random-label head needs at least 2 classes, not " + classes);
    }
    if (lambda < 0 || Double.isNaN(lambda)) {
      throw new IllegalArgumentException("lambda must be >= 0, not " + lambda);
    }
    if (hiddenWidth < 0) {
      throw new IllegalArgumentException("hidden width must be >= 0, not " + hiddenWidth);
    }
  }

  /** A stable name for metrics and checkpoints, e.g. {@code penultimate/0}. */
  public String id() {
    return new HeadId(tap, labeling).id();
  }
}
