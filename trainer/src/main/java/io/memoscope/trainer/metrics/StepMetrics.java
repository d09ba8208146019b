package io.memoscope.trainer.metrics;

import java.util.List;

/**
 * What the trainer logs every few steps: averages over the steps since the previous log.
 *
 * @param step optimizer steps taken so far
 * @param samples training samples in the averaged steps
 * @param classLoss mean L_class
 * @param trainAccuracy running class accuracy on the training batches
 * @param learningRate the rate of the last of the averaged steps
 * @param seconds wall-clock time the averaged steps took, waiting for data included
 */
public record StepMetrics(long step, long samples, double classLoss, double trainAccuracy,
    List<HeadStepMetrics> heads, double learningRate, double seconds) {

  public StepMetrics {
    heads = List.copyOf(heads);
  }

  /** Training throughput over the averaged steps; 0 when no time was measured. */
  public double samplesPerSecond() {
    return seconds > 0 ? samples / seconds : 0;
  }
}
