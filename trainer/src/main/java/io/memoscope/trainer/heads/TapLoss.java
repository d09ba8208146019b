package io.memoscope.trainer.heads;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The loss of the extractor's extra output at a head's tap: where the head's gradient enters the
 * extractor. Its input is the tap's activations (flattened, or globally pooled under the pooled
 * readout) of the very forward pass being trained.
 *
 * <p>On backpropagation it hands back λ·∂L_reg/∂features, computed through the head's current
 * weights (the head is not updated), so the extractor receives exactly the regularizer's gradient
 * and nothing of L_rnd. It also keeps a detached copy of the head's input: the head then trains on
 * them (L_rnd) after the extractor's step, and the running metrics come from the same pass.
 *
 * <p>The random labels are set before each step ({@link #prepare}); the graph's own label array for
 * this output is a placeholder. λ = 0 returns zeros: the head is a pure observer.
 */
public final class TapLoss implements ILossFunction {

  private transient RandomLabelHead head;
  private transient double lambda;
  private transient INDArray randomLabels;
  private transient INDArray features;
  private transient HeadRecord record;

  void attach(RandomLabelHead head) {
    this.head = head;
  }

  /** Before a step: the batch's random labels for this head, and the λ to apply (0 = term off). */
  void prepare(INDArray randomLabels, double lambda) {
    this.randomLabels = randomLabels;
    this.lambda = lambda;
    this.features = null;
    this.record = null;
  }

  /** After a step: the head's input the step read (detached), or null if no backward pass ran. */
  INDArray features() {
    return features;
  }

  HeadRecord record() {
    return record;
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      features = head.read(preOutput.dup());
      INDArray probabilities = head.probabilities(features);
      record = HeadRecord.of(probabilities, randomLabels);
      if (lambda == 0) {
        return Nd4j.zeros(preOutput.dataType(), preOutput.shape());
      }
      return head.regularizerGradient(features, randomLabels).muli(lambda);
    }
  }

  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    if (lambda == 0) {
      return 0;
    }
    double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    return average ? sum / preOutput.size(0) : sum;
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray probabilities = head.probabilities(head.read(preOutput.dup()));
      return HeadRecord.complementLosses(probabilities, randomLabels).muli(lambda);
    }
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

  @Override
  public String name() {
    return "tap";
  }

  @Override
  public String toString() {
    return "TapLoss()";
  }

  /**
   * What the head made of one batch before its update: how many random labels it got right, and its
   * two losses (means over the batch).
   */
  record HeadRecord(long seen, long correct, double randomLoss, double regularizerLoss) {

    static HeadRecord of(INDArray probabilities, INDArray randomLabels) {
      long correct =
          probabilities
              .argMax(1)
              .eq(randomLabels.argMax(1))
              .castTo(DataType.INT)
              .sumNumber()
              .longValue();
      INDArray logs = logProbabilities(probabilities);
      double random = -logs.mul(randomLabels.castTo(logs.dataType())).sumNumber().doubleValue();
      double regularizer =
          new ComplementLoss()
              .computeScoreArray(randomLabels, logs, null, null)
              .sumNumber()
              .doubleValue();
      long seen = probabilities.size(0);
      return new HeadRecord(seen, correct, random / seen, regularizer / seen);
    }

    /** −log(1 − p_ŷ) per example, from the probabilities (the logits up to a constant). */
    static INDArray complementLosses(INDArray probabilities, INDArray randomLabels) {
      return new ComplementLoss()
          .computeScoreArray(randomLabels, logProbabilities(probabilities), null, null);
    }

    /** log p, floored so that a probability that underflowed to 0 stays finite. */
    private static INDArray logProbabilities(INDArray probabilities) {
      return Transforms.log(Transforms.max(probabilities, 1e-30, true), false);
    }
  }
}
