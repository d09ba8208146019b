package io.memoscope.trainer.heads;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * L_class: softmax cross-entropy on the class head, with optional label smoothing (the targets
 * become (1−ε)·y + ε/N), a weight that lets a step switch the term off, and a record of the batch's
 * accuracy and loss as the step computes them, so running metrics cost no extra pass.
 */
public final class ClassLoss extends LossMCXENT {

  private final double smoothing;
  private transient double weight = 1;
  private transient long correct;
  private transient long seen;
  private transient double lossSum;

  public ClassLoss(double smoothing) {
    this.smoothing = smoothing;
  }

  void setWeight(double weight) {
    this.weight = weight;
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray targets = smooth(labels);
    record(targets, preOutput, activationFn, mask);
    return super.computeGradient(targets, preOutput, activationFn, mask).muli(weight);
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return super.computeScoreArray(smooth(labels), preOutput, activationFn, mask).muli(weight);
  }

  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    return weight * super.computeScore(smooth(labels), preOutput, activationFn, mask, average);
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

  private INDArray smooth(INDArray labels) {
    if (smoothing == 0) {
      return labels;
    }
    return labels.mul(1 - smoothing).addi(smoothing / labels.size(1));
  }

  private void record(
      INDArray targets, INDArray preOutput, IActivation activationFn, INDArray mask) {
    long batch = preOutput.size(0);
    INDArray predicted = preOutput.argMax(1);
    INDArray actual = targets.argMax(1);
    correct += predicted.eq(actual).castTo(DataType.INT).sumNumber().longValue();
    seen += batch;
    lossSum += super.computeScore(targets, preOutput.dup(), activationFn, mask, false);
  }

  /** Accuracy and mean loss since the last call, then starts over. */
  RunningValues drain() {
    RunningValues values =
        new RunningValues(seen, correct, seen == 0 ? Double.NaN : lossSum / seen);
    correct = 0;
    seen = 0;
    lossSum = 0;
    return values;
  }

  /** Counts over the batches since the last drain. */
  record RunningValues(long seen, long correct, double meanLoss) {
    double accuracy() {
      return seen == 0 ? Double.NaN : (double) correct / seen;
    }
  }
}
