package io.memoscope.trainer.runtime;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** A two-block conv net with two softmax outputs, the shape the trainer builds, made small. */
final class SmallConvNet {

  static final int SIDE = 12;
  static final int CLASSES = 10;
  static final String[] CONVOLUTIONS = {"conv1", "conv2"};
  static final String[] POOLINGS = {"pool1", "pool2"};

  private SmallConvNet() {}

  /** Helpers or not is decided by DL4J's property at this moment, layer by layer. */
  static ComputationGraph build(long seed) {
    ComputationGraphConfiguration configuration =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Sgd(0.1))
            .weightInit(WeightInit.RELU)
            .graphBuilder()
            .addInputs("image")
            .setInputTypes(InputType.convolutional(SIDE, SIDE, 1))
            .addLayer("conv1", convolution(8), "image")
            .addLayer("pool1", maxPool(), "conv1")
            .addLayer("conv2", convolution(16), "pool1")
            .addLayer("pool2", maxPool(), "conv2")
            .addLayer(
                "dense",
                new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(),
                "pool2")
            .addLayer("class", softmax(), "dense")
            .addLayer("head", softmax(), "dense")
            .setOutputs("class", "head")
            .build();
    ComputationGraph graph = new ComputationGraph(configuration);
    graph.init();
    return graph;
  }

  private static ConvolutionLayer convolution(int channels) {
    return new ConvolutionLayer.Builder(5, 5)
        .nOut(channels)
        .convolutionMode(ConvolutionMode.Same)
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
