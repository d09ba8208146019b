package io.memoscope.trainer.bench;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The benchmark's stand-in for the trainer's {@code small-cnn} with one random-label head, built
 * straight as a DL4J graph: conv 5×5×16 → ReLU → max-pool 2 → conv 5×5×32 → ReLU → max-pool 2 →
 * dense 128 ReLU → two 10-way softmax outputs (class, head) on the dense features, float32, Adam,
 * cross-entropy on both. bench/pytorch_small_cnn.py builds the same network.
 */
public final class SmallCnnGraph {

  public static final int SIDE = 28;
  public static final int CLASSES = 10;
  public static final String INPUT = "image";
  public static final String[] CONVOLUTIONS = {"conv1", "conv2"};
  public static final String[] POOLINGS = {"pool1", "pool2"};

  private SmallCnnGraph() {}

  /**
   * @param same "same" padding (the trainer's small-cnn) or none ("valid", the network of the
   *     dl4j-cpu-performance note: 81,492 parameters instead of 216,660)
   */
  public static ComputationGraph build(
      long seed, boolean same, CacheMode cacheMode, WorkspaceMode workspaces) {
    ConvolutionMode padding = same ? ConvolutionMode.Same : ConvolutionMode.Truncate;
    ComputationGraphConfiguration configuration =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-3))
            .weightInit(WeightInit.RELU)
            .cacheMode(cacheMode)
            .trainingWorkspaceMode(workspaces)
            .inferenceWorkspaceMode(workspaces)
            .graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(InputType.convolutional(SIDE, SIDE, 1))
            .addLayer("conv1", convolution(16, padding), INPUT)
            .addLayer("pool1", maxPool(), "conv1")
            .addLayer("conv2", convolution(32, padding), "pool1")
            .addLayer("pool2", maxPool(), "conv2")
            .addLayer(
                "dense",
                new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build(),
                "pool2")
            .addLayer("class", softmax(), "dense")
            .addLayer("head", softmax(), "dense")
            .setOutputs("class", "head")
            .build();
    ComputationGraph graph = new ComputationGraph(configuration);
    graph.init();
    return graph;
  }

  private static ConvolutionLayer convolution(int channels, ConvolutionMode padding) {
    return new ConvolutionLayer.Builder(5, 5)
        .nOut(channels)
        .convolutionMode(padding)
        .activation(Activation.RELU)
        .build();
  }

  private static SubsamplingLayer maxPool() {
    return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
  }

  private static OutputLayer softmax() {
    return new OutputLayer.Builder(LossFunction.MCXENT)
        .nOut(CLASSES)
        .activation(Activation.SOFTMAX)
        .build();
  }
}
