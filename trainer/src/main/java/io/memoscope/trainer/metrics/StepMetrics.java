package io.memoscope.trainer.metrics;

import java.util.List;

/**
 * What the trainer logs every few steps: averages over the steps since the previous log.
 *
 * @param step optimizer steps taken so far
 * @param samples training samples in the averaged steps
 * @param classLoss mean L_class
 * @param trainAccuracy running class accuracy on the training batches
 */
public record StepMetrics(long step, long samples, double classLoss, double trainAccuracy,
    List<HeadStepMetrics> heads) {

  public StepMetrics {
    heads = List.copyOf(heads);
  }
}
