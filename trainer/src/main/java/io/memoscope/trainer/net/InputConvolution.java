package io.memoscope.trainer.net;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a convolution that reads the network's input: only the weight and bias
 * gradients, since nothing upstream needs a gradient with respect to the images.
 *
 * <p>Why: libnd4j's oneDNN {@code conv2d_bp} always computes the input gradient too, and for a
 * one-channel input it is slow: 7.5–15 ms per 128 images on small-cnn's first layer, whose forward
 * pass takes 1.9 ms (docs/benchmarks.md). For stride 1 and no dilation the weight gradient is
 * itself a convolution, with batch and channels swapped:
 *
 * <pre>
 *   dW[o, c, i, j] = Σ_{n,y,x} δ[n, o, y, x] · x_padded[n, c, y + i, x + j]
 *                  = conv2d(input = x as [C, N, H, W], weights = δ as [O, N, H', W'], same padding)[c, o, i, j]
 * </pre>
 *
 * one oneDNN forward convolution (1.9 ms), plus two transposing copies; the bias gradient is Σ δ
 * over batch and positions, from contiguous row sums. The gradient returned for the input is zeros.
 * The numbers equal DL4J's to float precision (summation order differs; checked in {@code
 * InputConvolutionTest}). Other convolutions, strides, dilations or layouts go to DL4J's oneDNN
 * helper unchanged.
 */
public final class InputConvolution implements ConvolutionHelper {

  private final ConvolutionHelper dl4j;

  InputConvolution(ConvolutionHelper dl4j) {
    this.dl4j = dl4j;
  }

  /**
   * Puts this helper on each convolution layer of the graph that reads a network input and has
   * DL4J's oneDNN helper.
   *
   * @return how many layers now use it
   */
  public static int installIn(ComputationGraph graph) {
    List<String> inputs = graph.getConfiguration().getNetworkInputs();
    Map<String, List<String>> vertexInputs = graph.getConfiguration().getVertexInputs();
    int installed = 0;
    for (Layer layer : graph.getLayers()) {
      if (layer.getClass() == ConvolutionLayer.class
          && layer.getHelper() instanceof MKLDNNConvHelper own
          && inputs.containsAll(
              vertexInputs.getOrDefault(layer.getConfig().getLayerName(), List.of("?")))) {
        LayerHelpers.replace(layer, ConvolutionLayer.class, new InputConvolution(own));
        installed++;
      }
    }
    return installed;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray input,
      INDArray weights,
      INDArray bias,
      INDArray delta,
      int[] kernel,
      int[] strides,
      int[] pad,
      INDArray biasGradView,
      INDArray weightGradView,
      IActivation afn,
      AlgoMode mode,
      BwdFilterAlgo bwdFilterAlgo,
      BwdDataAlgo bwdDataAlgo,
      ConvolutionMode convolutionMode,
      int[] dilation,
      CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    int[] padding = convolutionMode == ConvolutionMode.Same ? samePadding(kernel) : pad;
    if (!handles(input, delta, kernel, strides, padding, dilation, format)) {
      return dl4j.backpropGradient(
          input,
          weights,
          bias,
          delta,
          kernel,
          strides,
          pad,
          biasGradView,
          weightGradView,
          afn,
          mode,
          bwdFilterAlgo,
          bwdDataAlgo,
          convolutionMode,
          dilation,
          format,
          workspaceMgr);
    }
    long n = delta.size(0);
    long outChannels = delta.size(1);
    long inChannels = input.size(1);
    INDArray deltaAsWeights =
        workspaceMgr.createUninitialized(
            ArrayType.BP_WORKING_MEM, DataType.FLOAT, outChannels, n, delta.size(2), delta.size(3));
    deltaAsWeights.assign(delta.permute(1, 0, 2, 3));
    INDArray inputAsBatch;
    if (inChannels == 1) {
      inputAsBatch = input.reshape('c', 1, n, input.size(2), input.size(3));
    } else {
      inputAsBatch =
          workspaceMgr.createUninitialized(
              ArrayType.BP_WORKING_MEM,
              DataType.FLOAT,
              inChannels,
              n,
              input.size(2),
              input.size(3));
      inputAsBatch.assign(input.permute(1, 0, 2, 3));
    }
    INDArray swapped =
        workspaceMgr.createUninitialized(
            ArrayType.BP_WORKING_MEM,
            DataType.FLOAT,
            inChannels,
            outChannels,
            kernel[0],
            kernel[1]);
    Nd4j.exec(
        DynamicCustomOp.builder("conv2d")
            .addInputs(inputAsBatch, deltaAsWeights)
            .addOutputs(swapped)
            // kernel = δ's height and width, stride 1, the layer's padding, dilation 1, explicit
            // padding,
            // NCHW, weights as [out, in, h, w]
            .addIntegerArguments(
                (int) delta.size(2),
                (int) delta.size(3),
                1,
                1,
                padding[0],
                padding[1],
                1,
                1,
                0,
                0,
                1)
            .build());
    weightGradView.assign(swapped.permute(1, 0, 2, 3));
    DefaultGradient gradient = new DefaultGradient();
    if (biasGradView != null) {
      INDArray sums =
          delta.reshape('c', n, outChannels, delta.size(2) * delta.size(3)).sum(2).sum(0);
      biasGradView.assign(sums.reshape(biasGradView.shape()));
      gradient.gradientForVariable().put("b", biasGradView);
    }
    gradient.gradientForVariable().put("W", weightGradView);
    INDArray none = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
    return new Pair<>(gradient, none);
  }

  /**
   * Odd kernels in Same mode pad symmetrically by (k − 1)/2; DL4J's top-left padding then equals
   * it.
   */
  private static int[] samePadding(int[] kernel) {
    return kernel[0] % 2 == 1 && kernel[1] % 2 == 1
        ? new int[] {kernel[0] / 2, kernel[1] / 2}
        : null;
  }

  private static boolean handles(
      INDArray input,
      INDArray delta,
      int[] kernel,
      int[] strides,
      int[] padding,
      int[] dilation,
      CNN2DFormat format) {
    return padding != null
        && format == CNN2DFormat.NCHW
        && input.dataType() == DataType.FLOAT
        && delta.dataType() == DataType.FLOAT
        && strides[0] == 1
        && strides[1] == 1
        && dilation[0] == 1
        && dilation[1] == 1
        && input.rank() == 4
        && LayerHelpers.contiguous(input)
        // stride 1: the output is the input's size plus both paddings less the kernel, plus one
        && delta.size(2) == input.size(2) + 2L * padding[0] - kernel[0] + 1
        && delta.size(3) == input.size(3) + 2L * padding[1] - kernel[1] + 1;
  }

  @Override
  public INDArray preOutput(
      INDArray input,
      INDArray weights,
      INDArray bias,
      int[] kernel,
      int[] strides,
      int[] pad,
      AlgoMode mode,
      FwdAlgo fwdAlgo,
      ConvolutionMode convolutionMode,
      int[] dilation,
      CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    return dl4j.preOutput(
        input,
        weights,
        bias,
        kernel,
        strides,
        pad,
        mode,
        fwdAlgo,
        convolutionMode,
        dilation,
        format,
        workspaceMgr);
  }

  @Override
  public INDArray activate(INDArray z, IActivation afn, boolean training) {
    return dl4j.activate(z, afn, training);
  }

  @Override
  public boolean checkSupported() {
    return dl4j.checkSupported();
  }

  @Override
  public Map<String, Long> helperMemoryUse() {
    return dl4j.helperMemoryUse();
  }
}
