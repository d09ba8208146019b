package io.memoscope.trainer.net;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReLU, max(x, 0), with the same forward op as DL4J's {@code ActivationReLU} and a faster backward
 * pass: the gradient is {@code step(x) · ε} in two vectorised passes over the input, where DL4J's
 * {@code relu_bp} op takes 5.4 ms for a 128×16×28×28 batch against 0.4 ms here
 * (docs/benchmarks.md). The gradient is the same number ({@code ε} where x > 0, else 0), so results
 * do not change.
 */
public final class Relu extends BaseActivationFunction {

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    Nd4j.getExecutioner().exec(new RectifiedLinear(in, in));
    return in;
  }

  /** Overwrites {@code in} with the gradient, as DL4J's activations may. */
  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    Nd4j.getExecutioner().exec(new Step(in, in, 0.0));
    return new Pair<>(in.muli(epsilon), null);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Relu;
  }

  @Override
  public int hashCode() {
    return Relu.class.hashCode();
  }

  @Override
  public String toString() {
    return "relu";
  }
}
