package io.memoscope.trainer.bench;

import ch.qos.logback.classic.Level;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.metrics.Evaluator;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.TrunkOptions;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import io.memoscope.trainer.runtime.OneDnnHelpers;
import io.memoscope.trainer.train.ModelSpecs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.LoggerFactory;

/**
 * DL4J training throughput of the small CNN with one extra head against PyTorch on the same
 * network, batch and thread count (docs/benchmarks.md, bench/trainer.sh). After a warm-up of each,
 * the rounds alternate DL4J and PyTorch; each prints samples/s and its ratio, and the statistic is
 * the median of the rounds' own ratios, with their min–max.
 */
public final class TrainerBenchmark {

  private TrainerBenchmark() {}

  public static void main(String[] args) throws Exception {
    quietLogs();
    BenchOptions options = BenchOptions.parse(args, Nd4jRuntime.defaultCpuThreads());
    if (!options.helpers()) {
      // Set before configure(), which then leaves it alone: the built-in path, as shipped.
      System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, "true");
    }
    System.out.println("backend: " + Nd4jRuntime.configure(options.threads()));
    System.out.println("dl4j: " + options.dl4jSettings());

    RandomBatches batches = new RandomBatches(options.batch(), 7);
    Trainable trainable = options.memoscopeModel() ? memoscope(options) : bare(options);
    trainable.train(batches, options.warmup());

    List<Double> dl4j = new ArrayList<>();
    List<Double> torch = new ArrayList<>();
    try (PyTorchBaseline baseline = options.torch() ? new PyTorchBaseline(options) : null) {
      if (baseline != null) {
        System.out.println("pytorch: " + baseline.description());
      }
      for (int round = 1; round <= options.rounds(); round++) {
        long start = System.nanoTime();
        trainable.train(batches, options.steps());
        double seconds = (System.nanoTime() - start) / 1e9;
        dl4j.add(options.steps() * (double) options.batch() / seconds);
        String line =
            String.format(Locale.ROOT, "round %d: dl4j %,.0f samples/s", round, last(dl4j));
        if (baseline != null) {
          torch.add(baseline.round());
          line +=
              String.format(
                  Locale.ROOT,
                  ", pytorch %,.0f samples/s, ratio %.2f",
                  last(torch),
                  last(dl4j) / last(torch));
        }
        System.out.println(line);
      }
    }
    report(dl4j, torch);
  }

  /** What a round trains: the trainer's own step, or the bare graph for comparison. */
  private interface Trainable {
    void train(RandomBatches batches, int steps);
  }

  private static Trainable bare(BenchOptions options) {
    if (options.defaultNetwork() || options.evaluated() > 0) {
      throw new IllegalArgumentException(
          "model=graph trains the plain network without evaluations: add network=plain");
    }
    ComputationGraph graph =
        SmallCnnGraph.build(42, options.samePadding(), options.cacheMode(), options.workspaces());
    describe(graph, SmallCnnGraph.CONVOLUTIONS[0], SmallCnnGraph.POOLINGS[0]);
    return (batches, steps) -> {
      for (int i = 0; i < steps; i++) {
        graph.fit(batches.next());
      }
    };
  }

  /**
   * The trainer's own MultiHeadModel, each step a full {@code MultiHeadModel.step} with its routing
   * (tap output, head trained on the detached features), then, when {@code eval} > 0, an evaluation
   * as the trainer runs it. {@code network=default}: exactly what {@code memoscope train} builds
   * from its default config (small-cnn with batch norm, SGD Nesterov 0.05 with its cosine schedule,
   * one linear head on the penultimate tap at λ = 0). {@code network=plain}: small-cnn without
   * batch norm and Adam 1e-3, as PyTorch's plain network.
   */
  private static Trainable memoscope(BenchOptions options) {
    if (!options.samePadding() || options.cacheMode() != CacheMode.NONE) {
      throw new IllegalArgumentException(
          "model=memoscope runs the trainer's own small-cnn: use model=graph for"
              + " padding/cache experiments");
    }
    InputShape input = new InputShape(SmallCnnGraph.SIDE, SmallCnnGraph.SIDE, 1);
    ModelSpec spec =
        options.defaultNetwork()
            ? ModelSpecs.from(
                TrainingConfig.fromFlatMap(
                    Map.of("heads.taps", options.taps(), "heads.kind", options.heads())),
                input,
                SmallCnnGraph.CLASSES,
                SmallCnnGraph.CLASSES,
                1,
                (long) (options.warmup() + options.steps() * options.rounds()))
            : new ModelSpec(
                "small-cnn",
                input,
                SmallCnnGraph.CLASSES,
                List.of(new HeadSpec("penultimate", 0, SmallCnnGraph.CLASSES, 0, 0)),
                new TrunkOptions(0, false, 1),
                0,
                0,
                new Adam(1e-3),
                42,
                DataType.FLOAT);
    MultiHeadModel model = MultiHeadModel.create(spec);
    describe(model.graph(), "block1-conv", "block1");
    Samples evaluated =
        options.evaluated() > 0 ? RandomBatches.samples(options.evaluated() / 2, 11) : null;
    Evaluator evaluator = new Evaluator(256);
    long[] step = {0};
    return (batches, steps) -> {
      for (int i = 0; i < steps; i++) {
        MultiDataSet batch = batches.next();
        model.step(
            batch.getFeatures(0), batch.getLabels(0), List.of(batch.getLabels(1)), Terms.ALL);
        step[0]++;
      }
      if (evaluated != null && steps == options.steps()) {
        // Half of the images as the training subset, half as the test split, as the trainer
        // evaluates.
        evaluator.evaluate(model, step[0], evaluated, evaluated);
      }
    };
  }

  private static void describe(ComputationGraph graph, String conv, String pool) {
    System.out.println(
        "dl4j: "
            + graph.numParams()
            + " graph parameters, conv helper "
            + OneDnnHelpers.helperName(graph.getLayer(conv))
            + ", pool helper "
            + OneDnnHelpers.helperName(graph.getLayer(pool)));
  }

  private static void report(List<Double> dl4j, List<Double> torch) {
    System.out.printf(
        Locale.ROOT, "dl4j samples/s (median of %d): %,.0f%n", dl4j.size(), median(dl4j));
    if (!torch.isEmpty()) {
      System.out.printf(
          Locale.ROOT, "pytorch samples/s (median of %d): %,.0f%n", torch.size(), median(torch));
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < dl4j.size(); i++) {
        ratios.add(dl4j.get(i) / torch.get(i));
      }
      System.out.printf(
          Locale.ROOT,
          "ratio dl4j / pytorch: median %.3f (min %.3f, max %.3f) over %d paired rounds%n",
          median(ratios),
          Collections.min(ratios),
          Collections.max(ratios),
          ratios.size());
    }
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }

  /** Without a logback-test.xml here logback logs DEBUG, and ND4J is chatty at DEBUG. */
  private static void quietLogs() {
    Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger) {
      ((ch.qos.logback.classic.Logger) root).setLevel(Level.WARN);
    }
  }
}
