package io.memoscope.trainer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoscope.trainer.runtime.Nd4jRuntime;
import io.memoscope.trainer.runtime.OneDnnHelpers;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The input convolution's weight and bias gradients against DL4J's oneDNN helper, on one- and
 * three-channel inputs, with and without batch norm; only the first convolution gets it.
 */
class InputConvolutionTest {

  @BeforeAll
  static void oneDnn() {
    Nd4jRuntime.configure();
    assumeTrue(OneDnnHelpers.active(), "DL4J's oneDNN helpers are the reference; they exist on the CPU backend");
  }

  private static double distance(INDArray actual, INDArray expected) {
    return actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).norm2Number().doubleValue()
        / expected.castTo(DataType.DOUBLE).norm2Number().doubleValue();
  }

  @Test
  void sameGradientsAsDl4jOnTheFirstConvolutionOnly() {
    for (int channels : new int[] {1, 3}) {
      for (boolean batchNorm : new boolean[] {true, false}) {
        ComputationGraph reference = network(channels, batchNorm);
        ComputationGraph fast = network(channels, batchNorm);
        assertThat(InputConvolution.installIn(fast)).isEqualTo(1);
        assertThat(fast.getLayer("block1-conv").getHelper()).isInstanceOf(InputConvolution.class);
        assertThat(fast.getLayer("block2-conv").getHelper()).isInstanceOf(MKLDNNConvHelper.class);

        Nd4j.getRandom().setSeed(5);
        DataSet batch = batch(channels);
        reference.setInput(0, batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();
        fast.setInput(0, batch.getFeatures());
        fast.setLabels(batch.getLabels());
        fast.computeGradientAndScore();
        // With batch norm after it, a convolution's bias has no effect: its gradient is float noise around 0.
        String[] compared = batchNorm ? new String[] {"block1-conv_W", "block2-conv_W"}
            : new String[] {"block1-conv_W", "block1-conv_b", "block2-conv_W"};
        for (String parameter : compared) {
          assertThat(distance(fast.gradient().getGradientFor(parameter), reference.gradient().getGradientFor(parameter)))
              .as("%s, %d channels, batch norm %s", parameter, channels, batchNorm)
              .isLessThan(1e-5);
        }
        assertThat(distance(fast.gradient().gradient(), reference.gradient().gradient())).isLessThan(1e-5);
      }
    }
  }

  private static DataSet batch(int channels) {
    INDArray images = Nd4j.rand(DataType.FLOAT, 24, channels, 28, 28);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 24, 10);
    for (int i = 0; i < 24; i++) {
      labels.putScalar(i, i % 10, 1f);
    }
    return new DataSet(images, labels);
  }

  private static ComputationGraph network(int channels, boolean batchNorm) {
    GraphBuilder graph = new NeuralNetConfiguration.Builder()
        .seed(3)
        .dataType(DataType.FLOAT)
        .updater(new Nesterovs(0.05, 0.9))
        .graphBuilder()
        .addInputs("input")
        .setInputTypes(InputType.convolutional(28, 28, channels));
    Trunk trunk = new SmallCnn().addTo(graph, new InputShape(28, 28, channels), new TrunkOptions(0, batchNorm, 1));
    graph.addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(trunk.penultimate().size()).nOut(10)
        .activation(Activation.SOFTMAX).build(), trunk.penultimate().vertex());
    ComputationGraph net = new ComputationGraph(graph.setOutputs("out").build());
    net.init();
    return net;
  }
}
