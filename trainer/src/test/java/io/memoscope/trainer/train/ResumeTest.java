package io.memoscope.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.heads.ModelState;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.stream.ParameterDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A run stopped half-way and resumed from its last checkpoint (model state + position) ends with
 * exactly the weights of the run that never stopped: the optimiser state, the batch-norm
 * statistics, the schedule's iteration count and the epoch's order all carry over.
 */
class ResumeTest {

  private static final TrainingConfig CONFIG = TrainingConfig.fromFlatMap(Map.of(
      "model.width-scale", "0.5", "epochs", "3", "batch-size", "16", "optimizer.name", "adam",
      "heads.taps", "block2,penultimate", "augmentation.crop-padding", "2", "optimizer.warmup-steps", "5"));

  private final InMemoryData data = new InMemoryData(views(100), List.of(), new InputShape(12, 12, 1), 10, 10, 1);

  @Test
  void aResumedRunEndsBitIdenticalToAnUninterruptedOne() {
    String uninterrupted = ParameterDigest.of(loop(TrainingListener.NONE).run());

    for (long crashAt : new long[] {5, 7, 15}) {
      Checkpoints saved = new Checkpoints(crashAt);
      assertThatThrownBy(() -> loop(saved).run()).isInstanceOf(Crash.class);
      assertThat(saved.position.step()).isLessThan(crashAt);

      MultiHeadModel resumed = loop(TrainingListener.NONE).run(saved.position, saved.state);

      assertThat(ParameterDigest.of(resumed)).as("resumed from step %d", saved.position.step())
          .isEqualTo(uninterrupted);
    }
  }

  private TrainingLoop loop(TrainingListener listener) {
    return TrainingLoop.inMemory(CONFIG, data, listener, 1, 1_000).checkpointEvery(3);
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

  private static List<SampleView> views(int count) {
    Random random = new Random(3);
    List<SampleView> views = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] pixels = new byte[144];
      random.nextBytes(pixels);
      views.add(new SampleView(i, i % 10, new int[] {RandomLabels.label(1, "resume", Split.train, i, 0, 10)}, pixels,
          12, 12, 1));
    }
    return views;
  }
}
