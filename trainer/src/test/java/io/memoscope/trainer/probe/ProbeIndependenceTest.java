package io.memoscope.trainer.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.Split;
import io.memoscope.trainer.heads.ModelState;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.heads.RandomLabelHead;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.TrunkOptions;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Under λ > 0 the co-trained head is the extractor's adversary; the probe must not be it. It shares
 * no parameters or optimiser state with the co-trained heads: probing changes nothing in the model,
 * and scrambling the co-trained head's weights and optimiser state changes nothing in what the
 * probe reports.
 */
class ProbeIndependenceTest {

  // The trainer's ND4J set-up (oneDNN helpers on, one thread), whatever ran before in this JVM.
  @BeforeAll
  static void configureNd4j() {
    Nd4jRuntime.configure();
  }

  @Test
  void theProbeSharesNoParametersOrOptimizerStateWithTheCoTrainedHead() {
    Samples train = ProbeKnownAnswerTest.noise(192, Split.train, 9);
    Samples test = ProbeKnownAnswerTest.noise(192, Split.test, 9);
    MultiHeadModel model =
        MultiHeadModel.create(
            new ModelSpec(
                "small-cnn",
                new InputShape(16, 16, 1),
                10,
                List.of(
                    new HeadSpec("penultimate", 0, 10, 5, 0), new HeadSpec("block2", 0, 10, 5, 0)),
                new TrunkOptions(0, true, 0.5),
                0,
                0,
                new Adam(3e-3),
                7,
                DataType.FLOAT));
    for (int from = 0; from < 192; from += 32) {
      Samples batch = ProbeKnownAnswerTest.slice(train, from, from + 32);
      model.step(batch.features(), batch.randomLabels().get(0), batch.randomLabels(), Terms.ALL);
    }
    Probe probe = new Probe(ProbeRecipe.standard(0, 15, 3));
    List<String> taps = List.of("block2", "penultimate");
    ModelState before = model.snapshot();

    ProbeReport first = probe.run(model, train, test, taps, 10, 6, "λ = 5");

    ModelState after = model.snapshot();
    assertThat(floats(after.graph().params()))
        .as("extractor and class head")
        .isEqualTo(floats(before.graph().params()));
    assertThat(floats(after.graph().updater()))
        .as("their optimiser state")
        .isEqualTo(floats(before.graph().updater()));
    for (int i = 0; i < before.heads().size(); i++) {
      assertThat(floats(after.heads().get(i).params()))
          .as("head %d", i)
          .isEqualTo(floats(before.heads().get(i).params()));
      assertThat(floats(after.heads().get(i).updater()))
          .as("head %d's optimiser state", i)
          .isEqualTo(floats(before.heads().get(i).updater()));
    }

    for (RandomLabelHead head : model.heads()) {
      head.params().assign(Nd4j.rand(DataType.FLOAT, head.params().shape()).subi(0.5));
      INDArray state =
          ((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) head.network().getUpdater(true))
              .getStateViewArray();
      state.assign(Nd4j.rand(DataType.FLOAT, state.shape()));
    }
    ProbeReport again = probe.run(model, train, test, taps, 10, 6, "λ = 5, heads scrambled");

    assertThat(again.results()).isEqualTo(first.results());
  }

  private static float[] floats(INDArray array) {
    return array.dup().castTo(DataType.FLOAT).ravel().toFloatVector();
  }
}
