package io.memoscope.trainer.heads;

import io.memoscope.trainer.heads.TapLoss.HeadRecord;
import io.memoscope.trainer.net.Architecture;
import io.memoscope.trainer.net.Architectures;
import io.memoscope.trainer.net.ChannelBatchNorm;
import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.InputConvolution;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.Readout;
import io.memoscope.trainer.net.Tap;
import io.memoscope.trainer.net.Trunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The multi-head network of docs/trainer.md: extractor E and class head C in one DL4J {@link
 * ComputationGraph}, and each random-label head H_k a {@link RandomLabelHead} of its own.
 *
 * <p>Why this shape (rather than SameDiff with stopGradient): the graph keeps DL4J's fast layer
 * path (oneDNN helpers, workspaces) for the expensive part, and the routing needs no graph surgery.
 * For each head the graph has an extra, parameter-free output at the head's tap (its activations,
 * flattened, or globally pooled under the pooled readout, then a {@link TapLoss}); the head reads
 * them through its tap's {@link TapReadout}. One training step is:
 *
 * <ol>
 *   <li>one forward/backward pass of the graph: the class output contributes ∂L_class, each tap
 *       output contributes λ_k·∂L_reg,k computed through H_k's current weights (H_k unchanged); the
 *       graph's optimiser then updates E and C with their sum;
 *   <li>each head trains one step of L_rnd,k on the features that pass produced, detached: only
 *       H_k's weights move.
 * </ol>
 *
 * So L_class reaches E and C, L_rnd reaches only H_k, and λ·L_reg reaches only E — the routing the
 * tests check bit for bit.
 */
public final class MultiHeadModel {

  public static final String CLASS_OUTPUT = "class";

  private final ModelSpec spec;
  private final ComputationGraph graph;
  private final ClassLoss classLoss;
  private final List<RandomLabelHead> heads;
  private final List<TapLoss> tapLosses;
  private final List<String> featureVertices;

  /** What an evaluation reads: the class output, then each distinct vertex a head reads. */
  private final List<String> evaluated;

  private final Trunk trunk;
  private final Readouts readouts;
  private final Map<String, INDArray> placeholders = new HashMap<>();

  private MultiHeadModel(
      ModelSpec spec,
      ComputationGraph graph,
      ClassLoss classLoss,
      List<RandomLabelHead> heads,
      List<TapLoss> tapLosses,
      List<String> featureVertices,
      Trunk trunk,
      Readouts readouts) {
    this.spec = spec;
    this.trunk = trunk;
    this.readouts = readouts;
    this.graph = graph;
    this.classLoss = classLoss;
    this.heads = heads;
    this.tapLosses = tapLosses;
    this.featureVertices = featureVertices;
    List<String> read = new ArrayList<>(List.of(CLASS_OUTPUT));
    featureVertices.stream().distinct().forEach(read::add);
    this.evaluated = List.copyOf(read);
  }

  public static MultiHeadModel create(ModelSpec spec) {
    Architecture architecture = Architectures.named(spec.architecture());
    NeuralNetConfiguration.Builder base =
        new NeuralNetConfiguration.Builder()
            .seed(spec.seed())
            .dataType(spec.dataType())
            .updater(spec.updater())
            .weightInit(WeightInit.RELU)
            // Keeps each convolution's pre-activation from the forward pass for its backward pass;
            // with
            // NONE, DL4J's ConvolutionLayer runs the whole forward convolution again during
            // backprop
            // (a tenth of small-cnn's step). Same numbers; costs one activation-sized buffer per
            // layer.
            .cacheMode(CacheMode.DEVICE);
    if (spec.weightDecay() > 0) {
      base.l2(spec.weightDecay());
    }
    GraphBuilder graph =
        base.graphBuilder()
            .addInputs(Architectures.INPUT)
            .setInputTypes(
                InputType.convolutional(
                    spec.input().height(), spec.input().width(), spec.input().channels()));
    Trunk trunk = architecture.addTo(graph, spec.input(), spec.trunk());
    graph.addLayer(
        CLASS_OUTPUT,
        new OutputLayer.Builder(new ClassLoss(spec.labelSmoothing()))
            .nOut(spec.numClasses())
            .activation(Activation.SOFTMAX)
            .build(),
        trunk.penultimate().vertex());

    List<String> outputs = new ArrayList<>(List.of(CLASS_OUTPUT));
    List<String> featureVertices = new ArrayList<>();
    Map<String, String> pooled = new LinkedHashMap<>();
    for (HeadSpec head : spec.heads()) {
      Tap tap = trunk.tap(head.tap());
      String features = tap.vertex();
      if (tap.spatial() && spec.readout() == Readout.POOLED) {
        features =
            pooled.computeIfAbsent(
                tap.name(),
                name -> {
                  String vertex = poolVertex(name);
                  graph.addLayer(
                      vertex,
                      new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                      tap.vertex());
                  return vertex;
                });
      }
      // A spatial tap read whole reaches its loss layer flattened (DL4J adds the preprocessor).
      String output = outputName(head);
      graph.addLayer(
          output,
          new LossLayer.Builder(new TapLoss()).activation(Activation.IDENTITY).build(),
          features);
      outputs.add(output);
      featureVertices.add(features);
    }
    graph.setOutputs(outputs.toArray(String[]::new));

    ComputationGraphConfiguration configuration = graph.build();
    Readouts readouts = new Readouts(spec, trunk, configuration);
    ComputationGraph network = new ComputationGraph(configuration);
    network.init();
    // memoscope's own batch norm and first-convolution backward where DL4J M2.1's helpers are slow
    // (docs/trainer.md, "On the CPU").
    ChannelBatchNorm.installIn(network);
    InputConvolution.installIn(network);
    // Wire the loss instances the initialised layers actually hold (configurations get cloned).
    ClassLoss classLoss = (ClassLoss) lossOf(network, CLASS_OUTPUT);
    List<RandomLabelHead> heads = new ArrayList<>();
    List<TapLoss> tapLosses = new ArrayList<>();
    for (int i = 0; i < spec.heads().size(); i++) {
      HeadSpec head = spec.heads().get(i);
      RandomLabelHead randomLabelHead =
          RandomLabelHead.create(
              head,
              trunk.tap(head.tap()),
              readouts.of(head.tap()),
              spec.updater(),
              spec.seed() + 1 + i,
              spec.dataType());
      TapLoss tapLoss = (TapLoss) lossOf(network, outputName(head));
      tapLoss.attach(randomLabelHead);
      heads.add(randomLabelHead);
      tapLosses.add(tapLoss);
    }
    return new MultiHeadModel(
        spec,
        network,
        classLoss,
        List.copyOf(heads),
        List.copyOf(tapLosses),
        List.copyOf(featureVertices),
        trunk,
        readouts);
  }

  private static String poolVertex(String tap) {
    return "pool-" + tap;
  }

  /**
   * Each tap's readout, made when first needed: a head's when the model is built, any other tap's
   * when a probe first reads it (an equal readout of a large spatial tap is a large matrix).
   */
  private static final class Readouts {
    private final ModelSpec spec;
    private final Trunk trunk;
    private final Map<String, InputType> types;
    private final Map<String, TapReadout> made = new HashMap<>();

    Readouts(ModelSpec spec, Trunk trunk, ComputationGraphConfiguration conf) {
      this.spec = spec;
      this.trunk = trunk;
      this.types =
          conf.getLayerActivationTypes(
              InputType.convolutional(
                  spec.input().height(), spec.input().width(), spec.input().channels()));
    }

    TapReadout of(String tapName) {
      return made.computeIfAbsent(tapName, this::make);
    }

    private TapReadout make(String tapName) {
      Tap tap = trunk.tap(tapName);
      long channels = tap.size();
      long height = 1;
      long width = 1;
      if (types.get(tap.vertex()) instanceof InputType.InputTypeConvolutional cnn) {
        channels = cnn.getChannels();
        height = cnn.getHeight();
        width = cnn.getWidth();
      }
      if (spec.readout() == Readout.POOLED) {
        return TapReadout.identity(
            (int) channels,
            tap.name()
                + ": "
                + channels
                + " features"
                + (tap.spatial() ? " (global average per channel)" : ""));
      }
      int features = spec.readoutWidth() > 0 ? spec.readoutWidth() : trunk.penultimate().size();
      return TapReadout.equal(tap, channels, height, width, features, spec.seed(), spec.dataType());
    }
  }

  private static String outputName(HeadSpec head) {
    return "tap-" + head.tap() + "-" + head.labeling();
  }

  private static Object lossOf(ComputationGraph network, String layer) {
    Object conf = network.getLayer(layer).conf().getLayer();
    return conf instanceof BaseOutputLayer output
        ? output.getLossFn()
        : ((LossLayer) conf).getLossFn();
  }

  /**
   * One training step on a batch.
   *
   * @param features [batch, channels, height, width]
   * @param classLabels one-hot [batch, N]
   * @param randomLabels one-hot [batch, n] per labeling, indexed by labeling
   */
  public StepResult step(
      INDArray features, INDArray classLabels, List<INDArray> randomLabels, Terms terms) {
    prepare(features, randomLabels, terms);
    // Every step, even one with L_rnd alone, goes through the graph's fit: the class and tap
    // outputs then contribute zero gradients, and only the heads' own steps (below) move anything.
    graph.fit(new MultiDataSet(new INDArray[] {features}, labels(features, classLabels)));
    List<INDArray> tapFeatures = new ArrayList<>();
    tapLosses.forEach(loss -> tapFeatures.add(loss.features()));
    List<HeadStep> headSteps = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      RandomLabelHead head = heads.get(i);
      INDArray labelsOfHead = randomLabels.get(head.spec().labeling());
      HeadRecord record = tapLosses.get(i).record();
      if (terms.randomLabels()) {
        head.fit(tapFeatures.get(i), labelsOfHead);
      }
      headSteps.add(
          new HeadStep(
              head.spec().id(),
              record.seen(),
              record.correct(),
              record.randomLoss(),
              record.regularizerLoss()));
    }
    ClassLoss.RunningValues classValues = classLoss.drain();
    return new StepResult(
        classValues.seen(), classValues.correct(), classValues.meanLoss(), headSteps);
  }

  /**
   * The gradient one step would apply to the graph's parameters (flattened like {@code
   * graph().params()}), without applying it. For gradient checks.
   */
  public INDArray gradient(
      INDArray features, INDArray classLabels, List<INDArray> randomLabels, Terms terms) {
    prepare(features, randomLabels, terms);
    graph.setInputs(features);
    graph.setLabels(labels(features, classLabels));
    graph.computeGradientAndScore();
    return graph.gradient().gradient().dup();
  }

  /**
   * The input head {@code index} reads (its readout of its tap), from a training-mode forward pass.
   */
  public INDArray headInput(INDArray features, int index) {
    INDArray activations =
        graph.feedForward(new INDArray[] {features}, true, false).get(featureVertices.get(index));
    return heads.get(index).read(activations.dup());
  }

  /**
   * Inference-mode activations of the named taps for a batch of images, each read through the tap's
   * readout: what a probe fits on. Changes nothing in the model.
   */
  public Map<String, INDArray> readTaps(INDArray features, List<String> tapNames) {
    Map<String, INDArray> activations =
        inferenceActivations(
            features, tapNames.stream().map(name -> trunk.tap(name).vertex()).distinct().toList());
    Map<String, INDArray> read = new LinkedHashMap<>();
    for (String name : tapNames) {
      Tap tap = trunk.tap(name);
      INDArray values = activations.get(tap.vertex());
      if (tap.spatial() && spec.readout() == Readout.POOLED) {
        values = values.mean(2, 3); // what the graph's pooling vertex gives a head at this tap
      }
      read.put(name, readout(name).apply(values));
    }
    return read;
  }

  /** The extractor's taps, in depth order. */
  public Trunk trunk() {
    return trunk;
  }

  /** How heads and probes read the named tap. */
  public TapReadout readout(String tap) {
    return readouts.of(tap);
  }

  private void prepare(INDArray features, List<INDArray> randomLabels, Terms terms) {
    classLoss.setWeight(terms.classification() ? 1 : 0);
    for (int i = 0; i < heads.size(); i++) {
      HeadSpec head = heads.get(i).spec();
      tapLosses
          .get(i)
          .prepare(randomLabels.get(head.labeling()), terms.regularizer() ? head.lambda() : 0);
    }
  }

  private INDArray[] labels(INDArray features, INDArray classLabels) {
    INDArray[] labels = new INDArray[1 + heads.size()];
    labels[0] = classLabels;
    for (int i = 0; i < heads.size(); i++) {
      labels[1 + i] = placeholderLabels(features.size(0), heads.get(i).readout().inputWidth());
    }
    return labels;
  }

  /**
   * The tap outputs take their labels from {@link TapLoss#prepare}; DL4J still wants a label array
   * of each output's shape. Never read, so one zero array per shape is reused.
   */
  private INDArray placeholderLabels(long batch, long width) {
    return placeholders.computeIfAbsent(
        batch + "x" + width, key -> Nd4j.zeros(spec.dataType(), batch, width));
  }

  /** A copy of everything training changes (for checkpoints). */
  public ModelState snapshot() {
    List<ModelState.NetworkState> headStates = new ArrayList<>();
    for (RandomLabelHead head : heads) {
      headStates.add(head.snapshot());
    }
    INDArray updater = graph.getUpdater().getStateViewArray();
    return new ModelState(
        new ModelState.NetworkState(
            graph.params().dup(),
            updater == null ? null : updater.dup(),
            graph.getConfiguration().getIterationCount(),
            graph.getConfiguration().getEpochCount()),
        headStates,
        new ModelState.RandomState(Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()));
  }

  /** Puts a {@link #snapshot()} of a model of the same spec back. */
  public void restore(ModelState state) {
    if (state.heads().size() != heads.size()
        || state.graph().params().length() != graph.params().length()) {
      throw new IllegalArgumentException("the saved state belongs to a different network");
    }
    graph.params().assign(state.graph().params());
    INDArray updater = graph.getUpdater().getStateViewArray();
    if (updater != null && state.graph().updater() != null) {
      updater.assign(state.graph().updater());
    }
    graph.getConfiguration().setIterationCount(state.graph().iterations());
    graph.getConfiguration().setEpochCount(state.graph().epochs());
    for (int i = 0; i < heads.size(); i++) {
      heads.get(i).restore(state.heads().get(i));
    }
    if (state.random() != null) {
      Nd4j.getRandom().setStates(state.random().root(), state.random().node());
    }
  }

  public ComputationGraph graph() {
    return graph;
  }

  public List<RandomLabelHead> heads() {
    return heads;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Which loss terms a step applies; all three normally, fewer in routing tests. */
  public record Terms(boolean classification, boolean randomLabels, boolean regularizer) {
    public static final Terms ALL = new Terms(true, true, true);
  }

  /**
   * What one step measured, before its updates.
   *
   * @param classSeen samples of the class term (0 when it was off)
   * @param classCorrect of those, predicted right
   * @param classLoss mean L_class (NaN when off)
   */
  public record StepResult(
      long classSeen, long classCorrect, double classLoss, List<HeadStep> heads) {}

  /** One head's view of a step: random labels predicted right, and its mean L_rnd and L_reg. */
  public record HeadStep(
      String head, long seen, long correct, double randomLoss, double regularizerLoss) {}

  /**
   * Inference-mode predictions on a batch: the class head's and every random-label head's, counted
   * against the labels (e.g. for evaluated random-label accuracy on a fixed subset).
   */
  public Evaluation evaluate(INDArray features, INDArray classLabels, List<INDArray> randomLabels) {
    Map<String, INDArray> activations = inferenceActivations(features, evaluated);
    boolean[] classHits = Predictions.hits(activations.get(CLASS_OUTPUT), classLabels);
    List<boolean[]> headHits = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      RandomLabelHead head = heads.get(i);
      INDArray probabilities =
          head.probabilities(head.read(activations.get(featureVertices.get(i))));
      headHits.add(Predictions.hits(probabilities, randomLabels.get(head.spec().labeling())));
    }
    return new Evaluation(classHits, headHits);
  }

  /**
   * Inference-mode activations of the named vertices only. {@code output(List, …)} runs in DL4J's
   * inference workspace and detaches just these; {@code feedForward} would allocate and keep every
   * layer's activations (about a fifth of an evaluation's time went to allocating them).
   */
  private Map<String, INDArray> inferenceActivations(INDArray features, List<String> vertices) {
    INDArray[] values = graph.output(vertices, false, new INDArray[] {features}, null);
    Map<String, INDArray> activations = new LinkedHashMap<>();
    for (int i = 0; i < vertices.size(); i++) {
      activations.put(vertices.get(i), values[i]);
    }
    return activations;
  }

  /**
   * Predictions of one evaluated batch, per sample: whether the class head and each head in {@link
   * #heads()} order predicted the sample's label.
   */
  public record Evaluation(boolean[] classHits, List<boolean[]> headHits) {
    public Evaluation {
      headHits = List.copyOf(headHits);
    }

    public long seen() {
      return classHits.length;
    }

    public long classCorrect() {
      return count(classHits);
    }

    /** Random labels predicted right, per head. */
    public List<Long> headCorrect() {
      return headHits.stream().map(Evaluation::count).toList();
    }

    /** Equal when every hit is: arrays compared by content, as a record of values should be. */
    @Override
    public boolean equals(Object other) {
      if (!(other instanceof Evaluation that)
          || !Arrays.equals(classHits, that.classHits)
          || headHits.size() != that.headHits.size()) {
        return false;
      }
      for (int i = 0; i < headHits.size(); i++) {
        if (!Arrays.equals(headHits.get(i), that.headHits.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int hash = Arrays.hashCode(classHits);
      for (boolean[] hits : headHits) {
        hash = 31 * hash + Arrays.hashCode(hits);
      }
      return hash;
    }

    @Override
    public String toString() {
      return "Evaluation[seen="
          + seen()
          + ", classCorrect="
          + classCorrect()
          + ", headCorrect="
          + headCorrect()
          + "]";
    }

    private static long count(boolean[] hits) {
      long count = 0;
      for (boolean hit : hits) {
        count += hit ? 1 : 0;
      }
      return count;
    }
  }
}
