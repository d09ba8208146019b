package io.memoscope.trainer.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.protocol.avro.Split;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.net.TrunkOptions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Nesterovs;

/** The gradient routing of design.md §3, checked bit for bit and against finite differences. */
class RoutingTest {

  private final TinyData batch = TinyData.generate(16, 12, 10, 10, Split.train, 3, DataType.FLOAT);

  @Test
  void aStepWithOnlyTheRandomLabelLossLeavesTheExtractorBitIdentical() {
    MultiHeadModel model = MultiHeadModel.create(Specs.smallCnn(12, List.of(Specs.head("penultimate", 1),
        Specs.head("block1", 1))));
    float[] extractor = floats(model.graph().params());
    float[] head = floats(model.heads().get(0).params());

    model.step(batch.features(), batch.classLabels(), batch.randomLabels(), new Terms(false, true, false));

    assertThat(floats(model.graph().params())).isEqualTo(extractor);
    assertThat(floats(model.heads().get(0).params())).isNotEqualTo(head);
  }

  @Test
  void aStepWithOnlyTheRegularizerLeavesEveryHeadAndTheClassHeadBitIdentical() {
    MultiHeadModel model = MultiHeadModel.create(Specs.smallCnn(12, List.of(Specs.head("penultimate", 1),
        Specs.head("block2", 1))));
    float[] extractor = floats(model.graph().params());
    float[] head0 = floats(model.heads().get(0).params());
    float[] head1 = floats(model.heads().get(1).params());
    float[] classHead = floats(model.graph().getLayer(MultiHeadModel.CLASS_OUTPUT).params());

    model.step(batch.features(), batch.classLabels(), batch.randomLabels(), new Terms(false, false, true));

    assertThat(floats(model.heads().get(0).params())).isEqualTo(head0);
    assertThat(floats(model.heads().get(1).params())).isEqualTo(head1);
    assertThat(floats(model.graph().getLayer(MultiHeadModel.CLASS_OUTPUT).params())).isEqualTo(classHead);
    assertThat(floats(model.graph().params())).as("the extractor moves").isNotEqualTo(extractor);
  }

  @Test
  void lambdaZeroGivesExactlyTheExtractorUpdateOfANetWithoutHeads() {
    MultiHeadModel withHeads = MultiHeadModel.create(Specs.smallCnn(12, List.of(Specs.head("penultimate", 0),
        Specs.head("block1", 0), Specs.head("block2", 0))));
    MultiHeadModel plain = MultiHeadModel.create(Specs.smallCnn(12, List.of()));
    assertThat(plain.graph().params().length()).isEqualTo(withHeads.graph().params().length());
    plain.graph().setParams(withHeads.graph().params().dup());

    for (int step = 0; step < 3; step++) {
      withHeads.step(batch.features(), batch.classLabels(), batch.randomLabels(), Terms.ALL);
      plain.step(batch.features(), batch.classLabels(), batch.randomLabels(), Terms.ALL);
    }

    assertThat(floats(withHeads.graph().params())).isEqualTo(floats(plain.graph().params()));
  }

  @Test
  void theRegularizersExtractorGradientMatchesFiniteDifferences() {
    TinyData data = TinyData.generate(6, 8, 10, 10, Split.train, 5, DataType.DOUBLE);
    double lambda = 2.5;
    MultiHeadModel model = MultiHeadModel.create(Specs.smallCnn(8, List.of(Specs.head("block2", lambda)),
        new TrunkOptions(0, false, 0.25), new Nesterovs(0.1, 0.9), DataType.DOUBLE));
    INDArray analytic = model.gradient(data.features(), data.classLabels(), data.randomLabels(),
        new Terms(false, false, true));
    INDArray params = model.graph().params();
    int classParams = (int) model.graph().getLayer(MultiHeadModel.CLASS_OUTPUT).numParams();
    int extractorParams = (int) params.length() - classParams;

    Random pick = new Random(11);
    double epsilon = 1e-6;
    int checked = 0;
    for (int n = 0; n < 150; n++) {
      int j = pick.nextInt(extractorParams);
      double original = params.getDouble(j);
      params.putScalar(j, original + epsilon);
      double plus = regularizerObjective(model, data, lambda);
      params.putScalar(j, original - epsilon);
      double minus = regularizerObjective(model, data, lambda);
      params.putScalar(j, original);
      double numeric = (plus - minus) / (2 * epsilon);
      double exact = analytic.getDouble(j);
      if (Math.abs(numeric) > 1e-8 || Math.abs(exact) > 1e-8) {
        checked++;
        assertThat(exact).as("parameter %d", j).isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
      }
    }
    assertThat(checked).as("parameters with a gradient").isGreaterThan(20);
  }

  /** λ·Σ_i −log(1 − p_ŷ,i), straight from a forward pass and the head's probabilities. */
  private static double regularizerObjective(MultiHeadModel model, TinyData data, double lambda) {
    INDArray features = model.tapFeatures(data.features(), 0);
    INDArray probabilities = model.heads().get(0).probabilities(features);
    INDArray labels = data.randomLabels().get(0);
    double sum = 0;
    for (int i = 0; i < probabilities.size(0); i++) {
      int target = labels.getRow(i).argMax().getInt(0);
      sum += -Math.log(1 - probabilities.getDouble(i, target));
    }
    return lambda * sum;
  }

  private static float[] floats(INDArray array) {
    return array.dup().castTo(DataType.FLOAT).toFloatVector();
  }
}
