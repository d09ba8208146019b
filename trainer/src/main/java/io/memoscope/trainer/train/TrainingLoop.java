package io.memoscope.trainer.train;

import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.Batch;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.heads.ModelState;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.StepResult;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.metrics.Evaluator;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.metrics.RunningMetrics;
import io.memoscope.trainer.metrics.UpdateRatios;
import io.memoscope.trainer.optim.Optimizers;
import io.memoscope.trainer.probe.ProbeRun;
import io.memoscope.trainer.runtime.NativeMemory;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Epochs of training on in-memory samples, with the metrics of the method: running losses and
 * accuracies every {@code logEvery} steps, update ratios every {@code ratioEvery} steps, and
 * evaluations (evaluated random-label accuracy on a fixed training subset, test accuracy) as the
 * config's eval schedule says. Everything random is seeded from the config, so a run repeats bit
 * for bit on the CPU. A {@link DivergenceGuard} watches the losses every step and the parameters
 * before every evaluation and checkpoint (config {@code on-divergence}).
 */
public final class TrainingLoop {

  private final TrainingConfig config;
  private final DataShape shape;
  private final BatchSource batches;
  private final Samples trainSubset;
  private final Samples test;
  private final TrainingListener listener;
  private final int logEvery;
  private final int ratioEvery;
  private int checkpointEvery = Integer.MAX_VALUE;

  /**
   * @param trainSubset the fixed training samples whose random labels the evaluation checks
   * @param test test samples for class accuracy and the chance-level sanity check
   */
  public TrainingLoop(
      TrainingConfig config,
      DataShape shape,
      BatchSource batches,
      Samples trainSubset,
      Samples test,
      TrainingListener listener,
      int logEvery,
      int ratioEvery) {
    if (logEvery < 1 || ratioEvery < 1) {
      throw new IllegalArgumentException("logEvery and ratioEvery must be at least 1");
    }
    if (config.probe().every() > 0 && test == trainSubset) {
      throw new IllegalArgumentException(
          "probe.every needs test samples (the probe fits them too), and this run has"
              + " none; set probe.every=0");
    }
    this.config = config;
    this.shape = shape;
    this.batches = batches;
    this.trainSubset = trainSubset;
    this.test = test;
    this.listener = listener;
    this.logEvery = logEvery;
    this.ratioEvery = ratioEvery;
  }

  /** A loop over samples held in memory. */
  public static TrainingLoop inMemory(
      TrainingConfig config,
      InMemoryData data,
      TrainingListener listener,
      int logEvery,
      int ratioEvery) {
    DataShape shape =
        new DataShape(data.shape(), data.numClasses(), data.randomClasses(), data.labelings());
    BatchAssembler assembler = shape.assembler(config.dataType());
    BatchSource batches =
        new InMemoryBatches(
            data.train(),
            config.batchSize(),
            config.seed(),
            Augmenter.of(config.augmentation(), config.seed()),
            assembler);
    Samples trainSubset =
        samples(
            assembler,
            data.train().subList(0, Math.min(config.eval().subset(), data.train().size())));
    Samples test = data.test().isEmpty() ? trainSubset : samples(assembler, data.test());
    return new TrainingLoop(
        config, shape, batches, trainSubset, test, listener, logEvery, ratioEvery);
  }

  /**
   * Asks for {@link TrainingListener#onCheckpointDue} every {@code steps} steps (and at every epoch
   * end).
   */
  public TrainingLoop checkpointEvery(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "checkpoint interval must be at least 1 step, not " + steps);
    }
    this.checkpointEvery = steps;
    return this;
  }

  public MultiHeadModel run() {
    return run(TrainingPosition.START, null);
  }

  /**
   * Trains from {@code position}; with a saved {@code state} the model continues from it (resume),
   * replaying the position's epoch and skipping the batches already trained.
   */
  public MultiHeadModel run(TrainingPosition position, ModelState state) {
    String backend = Nd4jRuntime.configure();
    long totalSteps = batches.batchesPerEpoch() * config.epochs();
    MultiHeadModel model =
        MultiHeadModel.create(
            ModelSpecs.from(
                config,
                shape.input(),
                shape.numClasses(),
                shape.randomClasses(),
                shape.labelings(),
                totalSteps));
    if (state != null) {
      model.restore(state);
    }
    if (config.probe().every() > 0) {
      ProbeRun.of(config, shape.randomClasses())
          .resolve(model); // a wrong probe.taps fails now, not at the first probe
    }
    Evaluator evaluator = new Evaluator(256);
    NativeMemory nativeMemory = new NativeMemory();
    RunningMetrics running = new RunningMetrics(model.spec().heads());
    ISchedule learningRate = Optimizers.schedule(config.optimizer(), totalSteps);
    listener.onStart(backend, totalSteps);
    DivergenceGuard divergence = new DivergenceGuard(config.onDivergence(), listener);

    long step = position.step();
    TrainingClock clock = new TrainingClock(System::nanoTime);
    for (int epoch = position.epoch(); epoch <= config.epochs(); epoch++) {
      long skip = epoch == position.epoch() ? position.batchesDone() : 0;
      long done = 0;
      EpochTally tally = EpochTally.EMPTY;
      try (BatchSource.Epoch epochBatches = batches.epoch(epoch)) {
        while (epochBatches.hasNext()) {
          Batch batch = epochBatches.next();
          tally = tally.plus(batch.indices());
          done++;
          if (done <= skip) {
            if (done == skip) {
              requireSameSamples(position, tally);
            }
            continue;
          }
          step++;
          UpdateRatios ratios = step % ratioEvery == 0 ? UpdateRatios.before(model.graph()) : null;
          StepResult result =
              model.step(batch.features(), batch.labels(), batch.randomLabels(), Terms.ALL);
          divergence.checkLosses(step, result);
          nativeMemory.reclaimIfDue();
          running.add(result);
          if (ratios != null) {
            listener.onUpdateRatios(step, ratios.after(model.graph()));
          }
          if (step % logEvery == 0) {
            listener.onStep(
                running.drain(
                    step, epoch, learningRate.valueAt((int) step - 1, epoch - 1), clock.lap()));
          }
          long at = step;
          if (config.eval().dueAfterStep(step)) {
            clock.excluding(
                () -> evaluate(model, evaluator, divergence, at, at / config.eval().every()));
          }
          if (step % checkpointEvery == 0) {
            TrainingPosition next = new TrainingPosition(epoch, done, step, tally);
            clock.excluding(() -> checkpoint(next, model, divergence));
          }
        }
      }
      if (done < skip) {
        throw new IllegalStateException(
            "epoch "
                + epoch
                + " replayed only "
                + done
                + " batches, but the checkpoint had"
                + " trained "
                + skip
                + ": the data of the run's topics changed");
      }
      int finished = epoch;
      long at = step;
      EpochTally epochTally = tally;
      clock.excluding(
          () -> {
            listener.onEpochEnd(finished, at, epochTally);
            if (config.eval().dueAfterEpoch(finished)) {
              evaluate(model, evaluator, divergence, at, finished / config.eval().every());
            }
            checkpoint(
                new TrainingPosition(finished + 1, 0, at, EpochTally.EMPTY), model, divergence);
          });
    }
    return model;
  }

  /**
   * An evaluation, and a probe after it when {@code probe.every} says so. The evaluation's number
   * comes from the step or epoch, so a resumed run probes where the uninterrupted one would.
   */
  private void evaluate(
      MultiHeadModel model,
      Evaluator evaluator,
      DivergenceGuard divergence,
      long step,
      long evaluation) {
    divergence.checkParameters(step, model);
    listener.onEvaluation(evaluator.evaluate(model, step, trainSubset, test));
    if (config.probe().dueAtEvaluation(evaluation)) {
      listener.onProbe(
          ProbeRun.of(config, shape.randomClasses()).run(model, trainSubset, test, step, "in run"));
    }
    listener.onEvaluationDone(step);
  }

  /**
   * A checkpoint, unless a parameter is NaN or infinite: a resume must never start from a diverged
   * model.
   */
  private void checkpoint(TrainingPosition next, MultiHeadModel model, DivergenceGuard divergence) {
    if (divergence.checkParameters(next.step(), model)) {
      listener.onCheckpointDue(next, model);
    }
  }

  /**
   * A resumed epoch skips the batches the interrupted run trained; they must hold exactly the
   * samples that run trained, or the replay is not the same run.
   */
  private static void requireSameSamples(TrainingPosition position, EpochTally replayed) {
    if (!position.tally().equals(replayed)) {
      throw new IllegalStateException(
          "resuming epoch "
              + position.epoch()
              + ": the "
              + position.batchesDone()
              + " replayed batches hold samples "
              + replayed
              + " but the checkpoint trained "
              + position.tally()
              + "; the run's data or order changed, so it cannot resume exactly");
    }
  }

  /** Evaluation arrays of a list of samples, unaugmented. */
  public static Samples samples(BatchAssembler assembler, List<SampleView> views) {
    Batch batch = assembler.assemble(views);
    return new Samples(batch.features(), batch.labels(), batch.randomLabels());
  }
}
