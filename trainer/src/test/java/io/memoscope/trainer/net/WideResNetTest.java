package io.memoscope.trainer.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class WideResNetTest {

  private static final InputShape CIFAR = new InputShape(32, 32, 3);

  /**
   * The trunk plus a softmax class head on the penultimate tap, as the multi-head builder will do.
   */
  private static ComputationGraph network(TrunkOptions options, Trunk[] trunk) {
    GraphBuilder graph =
        new NeuralNetConfiguration.Builder()
            .seed(7)
            .dataType(DataType.FLOAT)
            .updater(new Sgd(0.1))
            .graphBuilder()
            .addInputs("input")
            .setInputTypes(InputType.convolutional(32, 32, 3));
    trunk[0] = new WideResNet().addTo(graph, CIFAR, options);
    Tap penultimate = trunk[0].penultimate();
    graph.addLayer(
        "out",
        new OutputLayer.Builder(LossFunction.MCXENT)
            .nIn(penultimate.size())
            .nOut(10)
            .activation(Activation.SOFTMAX)
            .build(),
        penultimate.vertex());
    ComputationGraphConfiguration conf = graph.setOutputs("out").build();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  @Test
  void tapsHaveTheWrnShapes() {
    Trunk[] trunk = new Trunk[1];
    ComputationGraph net = network(new TrunkOptions(0, true, 0.25), trunk);
    assertThat(trunk[0].taps())
        .extracting(Tap::name)
        .containsExactly("stem", "group1", "group2", "group3", "penultimate");
    assertThat(trunk[0].taps()).extracting(Tap::size).containsExactly(4, 16, 32, 64, 64);
    assertThat(trunk[0].penultimate().spatial()).isFalse();

    Map<String, INDArray> activations =
        net.feedForward(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32), false);
    assertThat(activations.get(trunk[0].tap("stem").vertex()).shape())
        .containsExactly(2, 4, 32, 32);
    assertThat(activations.get(trunk[0].tap("group1").vertex()).shape())
        .containsExactly(2, 16, 32, 32);
    assertThat(activations.get(trunk[0].tap("group2").vertex()).shape())
        .containsExactly(2, 32, 16, 16);
    assertThat(activations.get(trunk[0].tap("group3").vertex()).shape())
        .containsExactly(2, 64, 8, 8);
    assertThat(activations.get(trunk[0].penultimate().vertex()).shape()).containsExactly(2, 64);
    assertThat(activations.get("out").shape()).containsExactly(2, 10);
  }

  @Test
  void fullWidthHasTheParametersOfWrn16x4() {
    Trunk[] trunk = new Trunk[1];
    ComputationGraph net = network(TrunkOptions.defaults(), trunk);
    assertThat(trunk[0].taps()).extracting(Tap::size).containsExactly(16, 64, 128, 256, 256);
    long trainable =
        net.paramTable().entrySet().stream()
            .filter(
                e ->
                    !e.getKey().endsWith("_mean")
                        && !e.getKey().endsWith("_var")
                        && !e.getKey().endsWith("_log10stdev"))
            .mapToLong(e -> e.getValue().length())
            .sum();
    // The reference PyTorch WRN-16-4 on CIFAR-10 (bias-free convs, BN γ/β, 256→10 classifier).
    assertThat(trainable).isEqualTo(2_748_890);
    // DL4J also counts the BN running mean and variance: 2 × 1808 channels.
    assertThat(net.numParams()).isEqualTo(2_748_890 + 2 * 1808);
  }

  @Test
  void oneTrainingStepRunsAndChangesTheWeights() {
    Trunk[] trunk = new Trunk[1];
    ComputationGraph net = network(new TrunkOptions(0.3, true, 0.125), trunk);
    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 10);
    for (int i = 0; i < 4; i++) {
      y.putScalar(i, i, 1);
    }
    INDArray before = net.params().dup();
    net.fit(new INDArray[] {x}, new INDArray[] {y});
    assertThat(Double.isFinite(net.score())).isTrue();
    assertThat(net.params()).isNotEqualTo(before);
  }

  @Test
  void withoutBatchNormTheConvolutionsHaveBiases() {
    Trunk[] trunk = new Trunk[1];
    ComputationGraph net = network(new TrunkOptions(0, false, 0.125), trunk);
    assertThat(net.paramTable())
        .containsKey("stem_b")
        .noneSatisfy((name, value) -> assertThat(name).contains("-bn"));
    Map<String, INDArray> activations =
        net.feedForward(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32), false);
    assertThat(activations.get(trunk[0].penultimate().vertex()).shape()).containsExactly(1, 32);
  }
}
