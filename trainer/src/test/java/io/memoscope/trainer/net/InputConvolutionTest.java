package io.memoscope.trainer.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The input convolution's weight and bias gradients against DL4J's oneDNN helper, on one- and
 * three-channel inputs, with and without batch norm; only the first convolution gets it.
 */
class InputConvolutionTest {

  @BeforeAll
  static void oneDnn() {
    HelperFixtures.requireOneDnn();
  }

  @Test
  void sameGradientsAsDl4jOnTheFirstConvolutionOnly() {
    for (int channels : new int[] {1, 3}) {
      for (boolean batchNorm : new boolean[] {true, false}) {
        ComputationGraph reference = HelperFixtures.smallCnn(channels, batchNorm);
        ComputationGraph fast = HelperFixtures.smallCnn(channels, batchNorm);
        assertThat(InputConvolution.installIn(fast)).isEqualTo(1);
        assertThat(fast.getLayer("block1-conv").getHelper()).isInstanceOf(InputConvolution.class);
        assertThat(fast.getLayer("block2-conv").getHelper()).isInstanceOf(MKLDNNConvHelper.class);

        Nd4j.getRandom().setSeed(5);
        DataSet batch = HelperFixtures.batch(24, channels);
        reference.setInput(0, batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();
        fast.setInput(0, batch.getFeatures());
        fast.setLabels(batch.getLabels());
        fast.computeGradientAndScore();
        // With batch norm after it, a convolution's bias has no effect: its gradient is float noise
        // around 0.
        String[] compared =
            batchNorm
                ? new String[] {"block1-conv_W", "block2-conv_W"}
                : new String[] {"block1-conv_W", "block1-conv_b", "block2-conv_W"};
        for (String parameter : compared) {
          assertThat(
                  HelperFixtures.distance(
                      fast.gradient().getGradientFor(parameter),
                      reference.gradient().getGradientFor(parameter)))
              .as("%s, %d channels, batch norm %s", parameter, channels, batchNorm)
              .isLessThan(1e-5);
        }
        assertThat(
                HelperFixtures.distance(
                    fast.gradient().gradient(), reference.gradient().gradient()))
            .isLessThan(1e-5);
      }
    }
  }
}
