package io.memoscope.trainer.heads;

import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.Relu;
import io.memoscope.trainer.net.Tap;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A random-label head H_k: a small network of its own (linear, or one hidden layer) over what its
 * {@link TapReadout} reads from a tap, predicting one labeling's random labels. Its methods take
 * that input ({@link #read} of the tap's activations), so one readout serves a whole step.
 *
 * <p>Being a separate network is what detaches it: {@link #fit} trains only the head's weights
 * (L_rnd), whatever the features came from. The regularizer needs the opposite: the gradient of
 * L_reg with respect to the features, through the head's current weights, with no update. {@link
 * #probabilities} and {@link #regularizerGradient} compute the head's forward and backward pass
 * directly on its weights, because they run inside the extractor's training step, where DL4J
 * refuses to start another network's pass while the graph's workspaces are open. The head is one or
 * two matrix products, so this is short, and the finite-difference test checks it.
 */
public final class RandomLabelHead {

  private final HeadSpec spec;
  private final Tap tap;
  private final TapReadout readout;
  private final MultiLayerNetwork network;

  private RandomLabelHead(HeadSpec spec, Tap tap, TapReadout readout, MultiLayerNetwork network) {
    this.spec = spec;
    this.tap = tap;
    this.readout = readout;
    this.network = network;
  }

  public static RandomLabelHead create(
      HeadSpec spec, Tap tap, TapReadout readout, IUpdater updater, long seed, DataType dataType) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            layers(
                    readout.width(),
                    spec.hiddenWidth(),
                    spec.classes(),
                    updater.clone(),
                    seed,
                    dataType)
                .build());
    network.init();
    return new RandomLabelHead(spec, tap, readout, network);
  }

  /**
   * The layers of a random-label classifier: {@code inputWidth} → (ReLU layer of {@code
   * hiddenWidth}, if > 0) → softmax over {@code classes}, Xavier-initialised from {@code seed}. The
   * co-trained heads and the probe are built alike.
   */
  public static ListBuilder layers(
      int inputWidth,
      int hiddenWidth,
      int classes,
      IUpdater updater,
      long seed,
      DataType dataType) {
    ListBuilder layers =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(dataType)
            .updater(updater)
            .weightInit(WeightInit.XAVIER)
            .trainingWorkspaceMode(WorkspaceMode.NONE)
            .inferenceWorkspaceMode(WorkspaceMode.NONE)
            .list();
    int in = inputWidth;
    if (hiddenWidth > 0) {
      layers.layer(
          new DenseLayer.Builder().nIn(in).nOut(hiddenWidth).activation(new Relu()).build());
      in = hiddenWidth;
    }
    return layers.layer(
        new OutputLayer.Builder(new LossMCXENT())
            .nIn(in)
            .nOut(classes)
            .activation(Activation.SOFTMAX)
            .build());
  }

  public HeadSpec spec() {
    return spec;
  }

  public Tap tap() {
    return tap;
  }

  public TapReadout readout() {
    return readout;
  }

  /** The head's input [batch, readout width] from the tap's activations. */
  public INDArray read(INDArray activations) {
    return readout.apply(activations);
  }

  /** Softmax probabilities [batch, n] of a {@link #read} input. */
  public INDArray probabilities(INDArray input) {
    return Transforms.softmax(forward(input).logits(), false);
  }

  /**
   * d(Σ_i L_reg,i)/d activations, per example [batch, flattened tap], through the readout and the
   * current weights; updates nothing.
   */
  public INDArray regularizerGradient(INDArray input, INDArray randomLabels) {
    Forward pass = forward(input);
    INDArray gradient =
        new ComplementLoss().computeGradient(randomLabels, pass.logits(), null, null);
    INDArray output = weights(network.getnLayers() - 1);
    gradient = gradient.mmul(output.transpose());
    if (pass.hiddenPreActivation() != null) {
      gradient.muli(pass.hiddenPreActivation().gt(0).castTo(gradient.dataType()));
      gradient = gradient.mmul(weights(0).transpose());
    }
    return readout.backward(gradient);
  }

  private Forward forward(INDArray features) {
    INDArray input = features;
    INDArray hidden = null;
    if (network.getnLayers() == 2) {
      hidden = input.mmul(weights(0)).addiRowVector(bias(0));
      input = Transforms.relu(hidden, true);
    }
    int last = network.getnLayers() - 1;
    return new Forward(hidden, input.mmul(weights(last)).addiRowVector(bias(last)));
  }

  private INDArray weights(int layer) {
    return network.getLayer(layer).getParam(DefaultParamInitializer.WEIGHT_KEY);
  }

  private INDArray bias(int layer) {
    return network.getLayer(layer).getParam(DefaultParamInitializer.BIAS_KEY);
  }

  /**
   * A head's forward pass: the hidden layer before its ReLU (null for a linear head), and the
   * logits.
   */
  private record Forward(INDArray hiddenPreActivation, INDArray logits) {}

  /**
   * One optimisation step of L_rnd on a (detached) {@link #read} input: only the head's weights
   * move.
   */
  public void fit(INDArray input, INDArray randomLabels) {
    network.fit(input, randomLabels);
  }

  ModelState.NetworkState snapshot() {
    INDArray updater = updaterState();
    return new ModelState.NetworkState(
        network.params().dup(),
        updater == null ? null : updater.dup(),
        network.getLayerWiseConfigurations().getIterationCount(),
        network.getLayerWiseConfigurations().getEpochCount());
  }

  void restore(ModelState.NetworkState state) {
    network.params().assign(state.params());
    INDArray updater = updaterState();
    if (updater != null && state.updater() != null) {
      updater.assign(state.updater());
    }
    network.getLayerWiseConfigurations().setIterationCount(state.iterations());
    network.getLayerWiseConfigurations().setEpochCount(state.epochs());
  }

  private INDArray updaterState() {
    return ((BaseMultiLayerUpdater<?>) network.getUpdater(true)).getStateViewArray();
  }

  /** The head's parameters (a live view). */
  public INDArray params() {
    return network.params();
  }

  public MultiLayerNetwork network() {
    return network;
  }
}
