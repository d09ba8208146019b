package io.memoscope.trainer.net;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * {@code wrn-16-4}: the wide residual network of Zagoruyko &amp; Komodakis (2016) for 32×32 colour
 * images; depth 16 gives (16 − 4) / 6 = 2 blocks per group, widen factor 4.
 *
 * <pre>
 * stem:        conv 3×3×16
 * group1..3:   2 pre-activation blocks each, widths 64, 128, 256, strides 1, 2, 2
 *   block:     BN → ReLU → conv 3×3 (stride) → BN → ReLU → [dropout] → conv 3×3, + shortcut
 *   shortcut:  identity, or conv 1×1 (stride) of the activated input when the shape changes
 * penultimate: BN → ReLU → global average pool (256, flat)
 * </pre>
 *
 * Convolutions have no bias while batch norm is on (the next BN cancels it, as in WRN). The taps
 * {@code group1..3} are the residual stream after each group. Other input sizes work as well (28×28
 * grey gives 28, 14, 7).
 */
public final class WideResNet implements Architecture {

  public static final String NAME = "wrn-16-4";

  private static final int BLOCKS_PER_GROUP = (16 - 4) / 6;
  private static final int STEM_WIDTH = 16;
  private static final int[] GROUP_WIDTHS = {16 * 4, 32 * 4, 64 * 4};
  private static final int[] GROUP_STRIDES = {1, 2, 2};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Trunk addTo(GraphBuilder graph, InputShape input, TrunkOptions options) {
    List<Tap> taps = new ArrayList<>();
    int width = options.scaled(STEM_WIDTH);
    graph.addLayer(
        "stem", conv(3, 1, input.channels(), width, options).build(), Architectures.INPUT);
    taps.add(new Tap("stem", "stem", true, width));
    String last = "stem";
    for (int g = 0; g < GROUP_WIDTHS.length; g++) {
      int out = options.scaled(GROUP_WIDTHS[g]);
      for (int b = 0; b < BLOCKS_PER_GROUP; b++) {
        int stride = b == 0 ? GROUP_STRIDES[g] : 1;
        last =
            block(graph, "group" + (g + 1) + "-block" + (b + 1), last, width, out, stride, options);
        width = out;
      }
      taps.add(new Tap("group" + (g + 1), last, true, width));
    }
    String activated = bnRelu(graph, "final", last, width, options);
    graph.addLayer(
        "penultimate", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), activated);
    taps.add(new Tap("penultimate", "penultimate", false, width));
    return new Trunk(taps);
  }

  /**
   * @return the block's output vertex
   */
  private static String block(
      GraphBuilder graph,
      String name,
      String from,
      int in,
      int out,
      int stride,
      TrunkOptions options) {
    String activated = bnRelu(graph, name + "-1", from, in, options);
    graph.addLayer(name + "-conv1", conv(3, stride, in, out, options).build(), activated);
    String hidden = bnRelu(graph, name + "-2", name + "-conv1", out, options);
    ConvolutionLayer.Builder conv2 = conv(3, 1, out, out, options);
    if (options.dropout() > 0) {
      // Layer dropout acts on the layer's input: between the second ReLU and conv2, as in WRN.
      conv2.dropOut(options.retainProbability());
    }
    graph.addLayer(name + "-conv2", conv2.build(), hidden);
    String shortcut = from;
    if (in != out || stride != 1) {
      shortcut = name + "-shortcut";
      graph.addLayer(shortcut, conv(1, stride, in, out, options).build(), activated);
    }
    graph.addVertex(
        name, new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "-conv2", shortcut);
    return name;
  }

  /** [BN →] ReLU; @return the ReLU vertex */
  private static String bnRelu(
      GraphBuilder graph, String name, String from, int channels, TrunkOptions options) {
    String into = from;
    if (options.batchNorm()) {
      graph.addLayer(
          name + "-bn",
          new BatchNormalization.Builder().nIn(channels).nOut(channels).build(),
          from);
      into = name + "-bn";
    }
    graph.addLayer(
        name + "-relu", new ActivationLayer.Builder().activation(new Relu()).build(), into);
    return name + "-relu";
  }

  private static ConvolutionLayer.Builder conv(
      int kernel, int stride, int in, int out, TrunkOptions options) {
    return new ConvolutionLayer.Builder(kernel, kernel)
        .stride(stride, stride)
        .nIn(in)
        .nOut(out)
        .convolutionMode(ConvolutionMode.Same)
        .activation(Activation.IDENTITY)
        .weightInit(WeightInit.RELU)
        .hasBias(!options.batchNorm());
  }
}
