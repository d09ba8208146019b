package io.memoscope.trainer.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fast ReLU gives exactly DL4J's numbers, forward and backward, zeros included. */
class ReluTest {

  @Test
  void sameNumbersAsDl4jsRelu() {
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.randn(DataType.FLOAT, 8, 4, 6, 6);
    x.putScalar(0, 0f);
    x.putScalar(1, -0f);
    INDArray epsilon = Nd4j.randn(DataType.FLOAT, 8, 4, 6, 6);

    assertThat(new Relu().getActivation(x.dup(), true))
        .isEqualTo(new ActivationReLU().getActivation(x.dup(), true));
    INDArray expected = new ActivationReLU().backprop(x.dup(), epsilon).getFirst();
    INDArray actual = new Relu().backprop(x.dup(), epsilon).getFirst();
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.getFloat(0)).isZero();
    assertThat(actual.getFloat(2)).isEqualTo(x.getFloat(2) > 0 ? epsilon.getFloat(2) : 0f);
  }
}
