package io.memoscope.trainer.train;

import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.Batch;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.metrics.Evaluator;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.metrics.RunningMetrics;
import io.memoscope.trainer.metrics.UpdateRatios;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Epochs of training on in-memory samples, with the metrics of the method: running losses and
 * accuracies every {@code logEvery} steps, update ratios every {@code ratioEvery} steps, and
 * evaluations (evaluated random-label accuracy on a fixed training subset, test accuracy) as the
 * config's eval schedule says. Everything random is seeded from the config, so a run repeats
 * bit for bit on the CPU.
 */
public final class TrainingLoop {

  private final TrainingConfig config;
  private final InMemoryData data;
  private final TrainingListener listener;
  private final int logEvery;
  private final int ratioEvery;

  public TrainingLoop(TrainingConfig config, InMemoryData data, TrainingListener listener, int logEvery,
      int ratioEvery) {
    if (logEvery < 1 || ratioEvery < 1) {
      throw new IllegalArgumentException("logEvery and ratioEvery must be at least 1");
    }
    this.config = config;
    this.data = data;
    this.listener = listener;
    this.logEvery = logEvery;
    this.ratioEvery = ratioEvery;
  }

  public MultiHeadModel run() {
    String backend = Nd4jRuntime.configure();
    int batchSize = config.batchSize();
    long stepsPerEpoch = (data.train().size() + batchSize - 1) / batchSize;
    long totalSteps = stepsPerEpoch * config.epochs();
    MultiHeadModel model = MultiHeadModel.create(ModelSpecs.from(config, data.shape(), data.numClasses(),
        data.randomClasses(), data.labelings(), totalSteps));
    BatchAssembler assembler = new BatchAssembler(data.shape(), data.numClasses(), data.randomClasses(),
        data.labelings(), config.dataType());
    Augmenter augmenter = Augmenter.of(config.augmentation(), config.seed());
    Evaluator evaluator = new Evaluator(256);
    Samples trainSubset = samples(assembler, data.train().subList(0, Math.min(config.eval().subset(), data.train().size())));
    Samples test = data.test().isEmpty() ? trainSubset : samples(assembler, data.test());
    RunningMetrics running = new RunningMetrics(model.spec().heads());
    listener.onStart(backend, totalSteps);

    long step = 0;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      List<SampleView> order = epochOrder(epoch);
      for (int from = 0; from < order.size(); from += batchSize) {
        List<SampleView> samples = new ArrayList<>();
        for (SampleView sample : order.subList(from, Math.min(order.size(), from + batchSize))) {
          samples.add(augmenter.apply(sample, epoch));
        }
        Batch batch = assembler.assemble(samples);
        step++;
        UpdateRatios ratios = step % ratioEvery == 0 ? UpdateRatios.before(model.graph()) : null;
        running.add(model.step(batch.features(), batch.labels(), batch.randomLabels(), Terms.ALL));
        if (ratios != null) {
          listener.onUpdateRatios(step, ratios.after(model.graph()));
        }
        if (step % logEvery == 0) {
          listener.onStep(running.drain(step));
        }
        if (config.eval().dueAfterStep(step)) {
          listener.onEvaluation(evaluator.evaluate(model, step, trainSubset, test));
        }
      }
      listener.onEpochEnd(epoch, step);
      if (config.eval().dueAfterEpoch(epoch)) {
        listener.onEvaluation(evaluator.evaluate(model, step, trainSubset, test));
      }
    }
    return model;
  }

  /** A seeded permutation per epoch: the same order on every run of the same config. */
  private List<SampleView> epochOrder(int epoch) {
    List<SampleView> order = new ArrayList<>(data.train());
    Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
    return order;
  }

  private static Samples samples(BatchAssembler assembler, List<SampleView> views) {
    Batch batch = assembler.assemble(views);
    return new Samples(batch.features(), batch.labels(), batch.randomLabels());
  }
}
