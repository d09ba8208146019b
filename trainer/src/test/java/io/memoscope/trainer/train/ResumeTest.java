package io.memoscope.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.heads.ModelState;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.stream.ParameterDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run stopped half-way and resumed from its last checkpoint (model state + position) ends with
 * exactly the weights of the run that never stopped: the optimiser state, the batch-norm
 * statistics, the schedule's iteration count and the epoch's order all carry over.
 */
class ResumeTest {

  private static final TrainingConfig CONFIG =
      TrainingConfig.fromFlatMap(
          Map.of(
              "model.width-scale",
              "0.5",
              "epochs",
              "3",
              "batch-size",
              "16",
              "optimizer.name",
              "adam",
              "heads.taps",
              "block2,penultimate",
              "augmentation.crop-padding",
              "2",
              "optimizer.warmup-steps",
              "5"));

  private final InMemoryData data =
      new InMemoryData(
          RandomSamples.views(100, 3, "resume"), List.of(), new InputShape(12, 12, 1), 10, 10, 1);

  @Test
  void aResumedRunEndsBitIdenticalToAnUninterruptedOne() {
    assertResumesExactly(CONFIG);
  }

  /** Dropout draws from ND4J's random generator, whose state the checkpoint carries. */
  @Test
  void aResumedRunWithDropoutEndsBitIdenticalToAnUninterruptedOne() {
    Map<String, String> withDropout = new java.util.HashMap<>(CONFIG.toFlatMap());
    withDropout.put("regularization.dropout", "0.3");
    assertResumesExactly(TrainingConfig.fromFlatMap(withDropout));
  }

  private void assertResumesExactly(TrainingConfig config) {
    String uninterrupted = ParameterDigest.of(loop(config, TrainingListener.NONE).run());
    assertThat(ParameterDigest.of(loop(config, TrainingListener.NONE).run()))
        .as("a second uninterrupted run")
        .isEqualTo(uninterrupted);

    for (long crashAt : new long[] {5, 7, 15}) {
      Checkpoints saved = new Checkpoints(crashAt);
      assertThatThrownBy(() -> loop(config, saved).run()).isInstanceOf(Crash.class);
      assertThat(saved.position.step()).isLessThan(crashAt);
      // Whatever else ran on this thread since moves ND4J's generator; the checkpoint puts it back.
      org.nd4j.linalg.factory.Nd4j.getRandom().nextLong();

      MultiHeadModel resumed = loop(config, TrainingListener.NONE).run(saved.position, saved.state);

      assertThat(ParameterDigest.of(resumed))
          .as("resumed from step %d", saved.position.step())
          .isEqualTo(uninterrupted);
    }
  }

  @Test
  void everyEpochOfAResumedRunTrainsEachSampleExactlyOnce() {
    Checkpoints saved = new Checkpoints(10);
    assertThatThrownBy(() -> loop(saved).run()).isInstanceOf(Crash.class);
    assertThat(saved.position.epoch()).isEqualTo(2);
    assertThat(saved.position.batchesDone()).isPositive();
    List<EpochTally> epochs = new ArrayList<>();
    List<StepMetrics> steps = new ArrayList<>();
    TrainingListener tallies =
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, long step, EpochTally tally) {
            epochs.add(tally);
          }

          @Override
          public void onStep(StepMetrics metrics) {
            steps.add(metrics);
          }
        };

    loop(tallies).run(saved.position, saved.state);

    assertThat(epochs)
        .as("epochs 2 and 3, the interrupted one counted whole")
        .containsExactly(EpochTally.ofRange(100), EpochTally.ofRange(100));
    assertThat(steps.get(0).step()).isEqualTo(saved.position.step() + 1);
    assertThat(steps.get(0).epoch())
        .as("the first line after the resume is in the resumed epoch")
        .isEqualTo(2);
    assertThat(steps.get(steps.size() - 1).epoch()).isEqualTo(3);
  }

  @Test
  void aCheckpointWhoseSamplesDoNotMatchTheReplayedBatchesIsRefused() {
    Checkpoints saved = new Checkpoints(10);
    assertThatThrownBy(() -> loop(saved).run()).isInstanceOf(Crash.class);
    TrainingPosition tampered =
        new TrainingPosition(
            saved.position.epoch(),
            saved.position.batchesDone(),
            saved.position.step(),
            saved.position.tally().plus(new long[] {0}));

    assertThatThrownBy(() -> loop(TrainingListener.NONE).run(tampered, saved.state))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("resuming epoch 2")
        .hasMessageContaining("cannot resume exactly");
  }

  @Test
  void anEpochTallyDependsOnWhichSamplesNotOnTheirOrder() {
    EpochTally forward = EpochTally.EMPTY.plus(new long[] {0, 1, 2}).plus(new long[] {3});
    EpochTally shuffled = EpochTally.EMPTY.plus(new long[] {3, 1}).plus(new long[] {2, 0});
    EpochTally twice = EpochTally.EMPTY.plus(new long[] {0, 1, 1, 3});

    assertThat(shuffled).isEqualTo(forward).isEqualTo(EpochTally.ofRange(4));
    assertThat(twice.samples()).isEqualTo(forward.samples());
    assertThat(twice).isNotEqualTo(forward);
  }

  private TrainingLoop loop(TrainingListener listener) {
    return loop(CONFIG, listener);
  }

  private TrainingLoop loop(TrainingConfig config, TrainingListener listener) {
    return TrainingLoop.inMemory(config, data, listener, 1, 1_000).checkpointEvery(3);
  }

  /** Keeps the last checkpoint and crashes the run after a given step. */
  private static final class Checkpoints implements TrainingListener {
    private final long crashAt;
    TrainingPosition position = TrainingPosition.START;
    ModelState state;

    Checkpoints(long crashAt) {
      this.crashAt = crashAt;
    }

    @Override
    public void onCheckpointDue(TrainingPosition next, MultiHeadModel model) {
      position = next;
      state = model.snapshot();
    }

    @Override
    public void onStep(StepMetrics metrics) {
      if (metrics.step() == crashAt) {
        throw new Crash();
      }
    }
  }

  private static final class Crash extends RuntimeException {}
}
