package io.memoscope.trainer.metrics;

import java.util.List;

/**
 * One evaluation, in inference mode.
 *
 * @param step optimizer steps taken so far
 * @param trainAccuracy class accuracy on the fixed training subset
 * @param testAccuracy class accuracy on the test samples
 */
public record EvaluationMetrics(long step, double trainAccuracy, double testAccuracy, List<HeadEvaluation> heads) {

  public EvaluationMetrics {
    heads = List.copyOf(heads);
  }

  /** Train accuracy − test accuracy. */
  public double generalizationGap() {
    return trainAccuracy - testAccuracy;
  }

  /**
   * @param trainAccuracy random-label accuracy on the fixed training subset (the memorization metric)
   * @param memorizationIndex the same, chance-corrected
   * @param testAccuracy random-label accuracy on test samples: chance by construction, a sanity check
   */
  public record HeadEvaluation(String head, double trainAccuracy, double memorizationIndex, double testAccuracy) {}
}
