package io.memoscope.trainer.net;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * {@code small-cnn}: two conv blocks and a dense layer, for 28×28 grey images and fast on a CPU.
 *
 * <pre>
 * block1: conv 5×5×16 (same) → [BN] → ReLU → max-pool 2
 * block2: conv 5×5×32 (same) → [BN] → ReLU → max-pool 2
 * penultimate: dense 128 → ReLU           (dropout, when set, on its input)
 * </pre>
 *
 * Taps: {@code block1}, {@code block2} (spatial) and {@code penultimate} (flat).
 */
public final class SmallCnn implements Architecture {

  public static final String NAME = "small-cnn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Trunk addTo(GraphBuilder graph, InputShape input, TrunkOptions options) {
    int c1 = options.scaled(16);
    int c2 = options.scaled(32);
    int dense = options.scaled(128);
    String block1 = convBlock(graph, "block1", Architectures.INPUT, c1, options);
    String block2 = convBlock(graph, "block2", block1, c2, options);
    DenseLayer.Builder penultimate = new DenseLayer.Builder().nOut(dense).activation(new Relu());
    if (options.dropout() > 0) {
      penultimate.dropOut(options.retainProbability());
    }
    graph.addLayer("penultimate", penultimate.build(), block2);
    return new Trunk(
        List.of(
            new Tap("block1", block1, true, c1),
            new Tap("block2", block2, true, c2),
            new Tap("penultimate", "penultimate", false, dense)));
  }

  /**
   * @return the name of the block's last vertex
   */
  private static String convBlock(
      GraphBuilder graph, String name, String from, int channels, TrunkOptions options) {
    String conv = name + "-conv";
    ConvolutionLayer.Builder convolution =
        new ConvolutionLayer.Builder(5, 5).nOut(channels).convolutionMode(ConvolutionMode.Same);
    String last;
    if (options.batchNorm()) {
      graph.addLayer(conv, convolution.activation(Activation.IDENTITY).build(), from);
      graph.addLayer(name + "-bn", new BatchNormalization.Builder().build(), conv);
      graph.addLayer(
          name + "-relu",
          new ActivationLayer.Builder().activation(new Relu()).build(),
          name + "-bn");
      last = name + "-relu";
    } else {
      graph.addLayer(conv, convolution.activation(new Relu()).build(), from);
      last = conv;
    }
    graph.addLayer(
        name,
        new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
        last);
    return name;
  }
}
