package io.memoscope.trainer.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoscope.trainer.runtime.Nd4jRuntime;
import io.memoscope.trainer.runtime.OneDnnHelpers;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** What the tests of memoscope's layer helpers share: DL4J's oneDNN helpers as the reference. */
final class HelperFixtures {

  private HelperFixtures() {}

  /** DL4J's own oneDNN helpers on, or the test is skipped (they exist on the CPU backend only). */
  static void requireOneDnn() {
    Nd4jRuntime.configure();
    assumeTrue(
        OneDnnHelpers.active(),
        "DL4J's oneDNN helpers are the reference; they exist on the CPU backend");
  }

  /** Relative L2 distance, in double. */
  static double distance(INDArray actual, INDArray expected) {
    INDArray exact = expected.castTo(DataType.DOUBLE);
    return actual.castTo(DataType.DOUBLE).sub(exact).norm2Number().doubleValue()
        / exact.norm2Number().doubleValue();
  }

  /**
   * small-cnn on 28×28 images of {@code channels} channels with a softmax class head, SGD Nesterov.
   */
  static ComputationGraph smallCnn(int channels, boolean batchNorm) {
    GraphBuilder graph =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .dataType(DataType.FLOAT)
            .updater(new Nesterovs(0.05, 0.9))
            .graphBuilder()
            .addInputs("input")
            .setInputTypes(InputType.convolutional(28, 28, channels));
    Trunk trunk =
        new SmallCnn()
            .addTo(graph, new InputShape(28, 28, channels), new TrunkOptions(0, batchNorm, 1));
    graph.addLayer(
        "out",
        new OutputLayer.Builder(LossFunction.MCXENT)
            .nIn(trunk.penultimate().size())
            .nOut(10)
            .activation(Activation.SOFTMAX)
            .build(),
        trunk.penultimate().vertex());
    ComputationGraph net = new ComputationGraph(graph.setOutputs("out").build());
    net.init();
    return net;
  }

  /** Random images, classes 0, 1, … 9, 0, … */
  static DataSet batch(int size, int channels) {
    INDArray images = Nd4j.rand(DataType.FLOAT, size, channels, 28, 28);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, size, 10);
    for (int i = 0; i < size; i++) {
      labels.putScalar(i, i % 10, 1f);
    }
    return new DataSet(images, labels);
  }
}
