package io.memoscope.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

  private static final TrainingConfig CONFIG =
      TrainingConfig.fromFlatMap(
          Map.of(
              "model.width-scale",
              "0.5",
              "epochs",
              "3",
              "batch-size",
              "32",
              "eval.subset",
              "100",
              "optimizer.name",
              "adam",
              "heads.taps",
              "block1,penultimate",
              "augmentation.crop-padding",
              "2"));

  private final InMemoryData data =
      new InMemoryData(
          views(200, Split.train), views(50, Split.test), new InputShape(16, 16, 1), 10, 10, 1);

  @Test
  void reportsStepsRatiosAndEvaluationsOnSchedule() {
    Recorder recorder = new Recorder();

    TrainingLoop.inMemory(CONFIG, data, recorder, 5, 10).run();

    assertThat(recorder.totalSteps).isEqualTo(3 * 7);
    assertThat(recorder.backend).isNotBlank();
    assertThat(recorder.steps).extracting(StepMetrics::step).containsExactly(5L, 10L, 15L, 20L);
    assertThat(recorder.steps).extracting(StepMetrics::epoch).containsExactly(1, 2, 3, 3);
    assertThat(recorder.steps.get(0).heads()).hasSize(2);
    // 7 steps an epoch, the 7th of 8 samples: steps 1-20 saw 2 × 200 + 6 × 32 samples.
    assertThat(recorder.steps)
        .extracting(StepMetrics::samples)
        .containsExactly(160L, 136L, 136L, 160L);
    assertThat(recorder.ratioSteps).containsExactly(10L, 20L);
    assertThat(recorder.evaluations)
        .extracting(EvaluationMetrics::step)
        .containsExactly(7L, 14L, 21L);
    assertThat(recorder.evaluations.get(2).heads())
        .extracting(EvaluationMetrics.HeadEvaluation::head)
        .containsExactly("block1/0", "penultimate/0");
  }

  /**
   * probe.every = 2 under λ > 0: a probe after every second evaluation, of every tap, reported
   * beside the evaluation of the co-trained heads at the same step.
   */
  @Test
  void probesEverySecondEvaluationBesideTheCoTrainedHeads() {
    Map<String, String> settings = new java.util.HashMap<>(CONFIG.toFlatMap());
    settings.putAll(
        Map.of("heads.lambda", "5", "probe.every", "2", "probe.max-epochs", "5", "epochs", "4"));
    Recorder recorder = new Recorder();

    TrainingLoop.inMemory(TrainingConfig.fromFlatMap(settings), data, recorder, 100, 100).run();

    assertThat(recorder.evaluations)
        .extracting(EvaluationMetrics::step)
        .containsExactly(7L, 14L, 21L, 28L);
    assertThat(recorder.probes).extracting(ProbeReport::step).containsExactly(14L, 28L);
    ProbeReport probe = recorder.probes.get(1);
    assertThat(probe.samples()).isEqualTo(50);
    assertThat(probe.results())
        .extracting(ProbeResult::head)
        .containsExactly("block1/0", "block2/0", "penultimate/0");
    assertThat(recorder.evaluations.get(3).heads())
        .extracting(EvaluationMetrics.HeadEvaluation::head)
        .containsExactly("block1/0", "penultimate/0");
  }

  @Test
  void probingNeedsTestSamples() {
    InMemoryData trainOnly =
        new InMemoryData(views(64, Split.train), List.of(), new InputShape(16, 16, 1), 10, 10, 1);
    Map<String, String> settings = new java.util.HashMap<>(CONFIG.toFlatMap());
    settings.put("probe.every", "1");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TrainingLoop.inMemory(
                    TrainingConfig.fromFlatMap(settings),
                    trainOnly,
                    TrainingListener.NONE,
                    100,
                    100))
        .hasMessageContaining("probe.every needs test samples");
  }

  @Test
  void theSameConfigTrainsToBitIdenticalWeights() {
    MultiHeadModel first =
        TrainingLoop.inMemory(CONFIG, data, TrainingListener.NONE, 100, 100).run();
    MultiHeadModel second =
        TrainingLoop.inMemory(CONFIG, data, TrainingListener.NONE, 100, 100).run();

    assertThat(first.graph().params().toFloatVector())
        .isEqualTo(second.graph().params().toFloatVector());
    for (int i = 0; i < first.heads().size(); i++) {
      assertThat(first.heads().get(i).params().toFloatVector())
          .isEqualTo(second.heads().get(i).params().toFloatVector());
    }
  }

  private static List<SampleView> views(int count, Split split) {
    Random prototypes = new Random(1);
    byte[][] prototype = new byte[10][256];
    for (byte[] p : prototype) {
      prototypes.nextBytes(p);
    }
    Random noise = new Random(split.ordinal() + 2);
    List<SampleView> views = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int label = i % 10;
      byte[] pixels = new byte[256];
      for (int j = 0; j < pixels.length; j++) {
        pixels[j] = (byte) (((prototype[label][j] & 0xff) * 3 + noise.nextInt(256)) / 4);
      }
      int randomLabel = RandomLabels.label(42, "loop", split, i, 0, 10);
      views.add(new SampleView(i, label, new int[] {randomLabel}, pixels, 16, 16, 1));
    }
    return views;
  }

  private static final class Recorder implements TrainingListener {
    String backend;
    long totalSteps;
    final List<StepMetrics> steps = new ArrayList<>();
    final List<Long> ratioSteps = new ArrayList<>();
    final List<EvaluationMetrics> evaluations = new ArrayList<>();
    final List<ProbeReport> probes = new ArrayList<>();

    @Override
    public void onProbe(ProbeReport report) {
      probes.add(report);
    }

    @Override
    public void onStart(String backend, long totalSteps) {
      this.backend = backend;
      this.totalSteps = totalSteps;
    }

    @Override
    public void onStep(StepMetrics metrics) {
      steps.add(metrics);
    }

    @Override
    public void onUpdateRatios(long step, Map<String, Double> ratios) {
      assertThat(ratios).isNotEmpty();
      ratioSteps.add(step);
    }

    @Override
    public void onEvaluation(EvaluationMetrics metrics) {
      evaluations.add(metrics);
    }
  }
}
