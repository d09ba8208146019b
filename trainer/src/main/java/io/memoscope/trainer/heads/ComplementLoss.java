package io.memoscope.trainer.heads;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The memorization regularizer's loss on a head's logits z for random label ŷ:
 *
 * <pre>L_reg = −log(1 − p_ŷ) = logsumexp_j(z_j) − logsumexp_{j≠ŷ}(z_j)</pre>
 *
 * computed from the logits so it stays finite when p_ŷ → 1, where {@code log(1 − p)} of the
 * probabilities would be {@code log(0)}. Its gradient is {@code softmax(z) − softmax_{j≠ŷ}(z)} (the
 * second term 0 at ŷ). The layer's activation must be softmax: this loss reads the pre-activation
 * logits and applies the softmax itself. Gradients are per example (DL4J's updater divides by the
 * batch size).
 */
public final class ComplementLoss implements ILossFunction {

  /** Pushes the target logit out of the non-target logsumexp without an infinity. */
  private static final double EXCLUDED = 1e30;

  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    return average ? sum / preOutput.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray all = logSumExp(preOutput);
    INDArray others = logSumExp(preOutput.sub(labels.castTo(preOutput.dataType()).mul(EXCLUDED)));
    INDArray scores = all.sub(others);
    return mask == null
        ? scores
        : scores.muli(mask.reshape(scores.shape()).castTo(scores.dataType()));
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray probabilities = Transforms.softmax(preOutput, true);
    INDArray others =
        Transforms.softmax(preOutput.sub(labels.castTo(preOutput.dataType()).mul(EXCLUDED)), true);
    INDArray gradient = probabilities.subi(others);
    return mask == null
        ? gradient
        : gradient.muliColumnVector(mask.reshape(mask.size(0), 1).castTo(gradient.dataType()));
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    return Pair.of(
        computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  /** Row-wise logsumexp as a column [batch, 1], stable for any logits. */
  static INDArray logSumExp(INDArray logits) {
    INDArray max = logits.max(true, 1);
    return Transforms.log(Transforms.exp(logits.subColumnVector(max), true).sum(true, 1), false)
        .addi(max);
  }

  @Override
  public String name() {
    return "complement";
  }

  @Override
  public String toString() {
    return "ComplementLoss()";
  }
}
