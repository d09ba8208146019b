package io.memoscope.trainer.metrics;

/**
 * A head's training-time figures over the steps since the last log.
 *
 * @param head head id ({@code tap/labeling})
 * @param randomLoss mean L_rnd
 * @param regularizerLoss mean L_reg (unweighted; the extractor receives λ times it)
 * @param lambda the head's λ
 * @param runningAccuracy fraction of the training samples' random labels it predicted, as they
 *     passed
 */
public record HeadStepMetrics(
    String head,
    double randomLoss,
    double regularizerLoss,
    double lambda,
    double runningAccuracy) {}
