package io.memoscope.trainer.metrics;

import java.util.List;

/**
 * What the trainer logs every few steps: averages over the steps since the previous log.
 *
 * @param step optimizer steps taken so far
 * @param epoch the epoch the steps are in (1-based)
 * @param samples training samples in the averaged steps
 * @param classLoss mean L_class
 * @param trainAccuracy running class accuracy on the training batches
 * @param learningRate the rate of the last of the averaged steps
 * @param seconds training time the averaged steps took: wall-clock time, waiting for data included,
 *     evaluations, probes and checkpoints excluded
 */
public record StepMetrics(
    long step,
    int epoch,
    long samples,
    double classLoss,
    double trainAccuracy,
    List<HeadStepMetrics> heads,
    double learningRate,
    double seconds) {

  public StepMetrics {
    heads = List.copyOf(heads);
  }

  /** Training throughput over the averaged steps; 0 when no time was measured. */
  public double samplesPerSecond() {
    return seconds > 0 ? samples / seconds : 0;
  }
}
