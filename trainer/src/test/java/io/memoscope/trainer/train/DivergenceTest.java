package io.memoscope.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.EventLabels;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.net.InputShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A learning rate far too large makes the losses NaN within a few steps: the run stops there
 * (on-divergence: stop, the default) naming the step and the term, or, with continue, trains on;
 * either way the divergence is heard once and no checkpoint ever holds a non-finite parameter.
 */
class DivergenceTest {

  private static final Map<String, String> SETTINGS =
      Map.of(
          "model.width-scale",
          "0.5",
          "epochs",
          "2",
          "batch-size",
          "16",
          "optimizer.learning-rate",
          "1e12",
          "optimizer.momentum",
          "0");

  private final InMemoryData data =
      new InMemoryData(
          RandomSamples.views(64, 5, "diverge"), List.of(), new InputShape(12, 12, 1), 10, 10, 1);

  @Test
  void aDivergedRunStopsAtTheStepWhereALossBecameNonFinite() {
    Heard heard = new Heard();

    assertThatThrownBy(() -> TrainingLoop.inMemory(config("stop"), data, heard, 1, 1_000).run())
        .isInstanceOf(DivergedException.class)
        .hasMessageMatching(
            "diverged at step \\d+: the (class loss|random-label loss of head \\S+|regularizer of head"
                + " \\S+) is (NaN|-?Infinity); the run stops \\(on-divergence: continue would keep it going\\)");

    assertThat(heard.divergences)
        .singleElement()
        .satisfies(
            divergence -> {
              assertThat(divergence.step()).isBetween(1L, 4L);
              assertThat(divergence.term())
                  .isIn(
                      EventLabels.TERM_CLASS,
                      EventLabels.TERM_RANDOM,
                      EventLabels.TERM_REGULARIZER);
              assertThat(heard.lastStep)
                  .as("the last step trained without a divergence")
                  .isEqualTo(divergence.step() - 1);
            });
  }

  /**
   * A step's update can leave NaN parameters behind a finite loss: the checkpoint looks at them.
   */
  @Test
  void noCheckpointIsWrittenOfNonFiniteParameters() {
    Heard heard = new Heard();

    assertThatThrownBy(
            () ->
                TrainingLoop.inMemory(config("stop"), data, heard, 1, 1_000)
                    .checkpointEvery(1)
                    .run())
        .isInstanceOf(DivergedException.class);

    assertThat(heard.divergences)
        .singleElement()
        .satisfies(
            divergence -> {
              if (divergence.term().equals(EventLabels.TERM_PARAMETERS)) {
                assertThat(heard.lastStep).isEqualTo(divergence.step());
              }
              assertThat(heard.checkpoints)
                  .isEqualTo(
                      heard.lastStep
                          - (divergence.term().equals(EventLabels.TERM_PARAMETERS) ? 1 : 0));
            });
  }

  @Test
  void withContinueTheRunTrainsOnButWritesNoCheckpointOfNonFiniteParameters() {
    Heard heard = new Heard();

    TrainingLoop.inMemory(config("continue"), data, heard, 1, 1_000).checkpointEvery(1).run();

    assertThat(heard.divergences).hasSize(1);
    assertThat(heard.lastStep).isEqualTo(8);
    assertThat(heard.checkpoints).isLessThan(8L);
  }

  /** What the listener heard; every checkpoint asked for is checked to hold finite parameters. */
  private static final class Heard implements TrainingListener {
    final List<Divergence> divergences = new ArrayList<>();
    long lastStep;
    long checkpoints;

    @Override
    public void onStep(io.memoscope.trainer.metrics.StepMetrics metrics) {
      lastStep = metrics.step();
    }

    @Override
    public void onCheckpointDue(TrainingPosition next, MultiHeadModel model) {
      assertThat(Double.isFinite(model.graph().params().sumNumber().doubleValue()))
          .as("checkpoint at step %d", next.step())
          .isTrue();
      model
          .heads()
          .forEach(
              head ->
                  assertThat(Double.isFinite(head.params().sumNumber().doubleValue())).isTrue());
      checkpoints++;
    }

    @Override
    public void onDivergence(Divergence divergence) {
      divergences.add(divergence);
    }
  }

  private static TrainingConfig config(String onDivergence) {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("on-divergence", onDivergence);
    return TrainingConfig.fromFlatMap(settings);
  }
}
