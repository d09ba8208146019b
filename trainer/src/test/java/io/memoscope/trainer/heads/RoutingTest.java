package io.memoscope.trainer.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.protocol.avro.Split;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.Readout;
import io.memoscope.trainer.net.TrunkOptions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

/** The gradient routing of docs/trainer.md, checked bit for bit and against finite differences. */
class RoutingTest {

  private final TinyData batch = TinyData.generate(16, 12, 10, 10, Split.train, 3, DataType.FLOAT);

  /**
   * The step goes through the graph's fit like every training step (class and regularizer weights
   * zero). Without batch norm every graph parameter stays bit-identical; with it, every trainable
   * one does: batch norm's running mean and variance follow the batches, not any gradient.
   */
  @ParameterizedTest(name = "batch norm {0}")
  @ValueSource(booleans = {false, true})
  void aStepWithOnlyTheRandomLabelLossLeavesTheExtractorBitIdentical(boolean batchNorm) {
    MultiHeadModel model =
        MultiHeadModel.create(
            Specs.smallCnn(
                12,
                List.of(Specs.head("penultimate", 1), Specs.head("block1", 1)),
                new TrunkOptions(0, batchNorm, 0.5),
                new Adam(1e-2),
                DataType.FLOAT));
    Map<String, float[]> extractor = trainable(model);
    float[] head = floats(model.heads().get(0).params());
    float[] block1Head = floats(model.heads().get(1).params());

    for (int step = 0; step < 3; step++) {
      model.step(
          batch.features(),
          batch.classLabels(),
          batch.randomLabels(),
          new Terms(false, true, false));
    }

    assertThat(trainable(model)).containsExactlyInAnyOrderEntriesOf(extractor);
    if (!batchNorm) {
      assertThat(model.graph().getConfiguration().getIterationCount())
          .as("the graph's fit ran")
          .isEqualTo(3);
    }
    assertThat(floats(model.heads().get(0).params())).isNotEqualTo(head);
    assertThat(floats(model.heads().get(1).params())).isNotEqualTo(block1Head);
  }

  @Test
  void aStepWithOnlyTheRegularizerLeavesEveryHeadAndTheClassHeadBitIdentical() {
    MultiHeadModel model =
        MultiHeadModel.create(
            Specs.smallCnn(12, List.of(Specs.head("penultimate", 1), Specs.head("block2", 1))));
    float[] extractor = floats(model.graph().params());
    float[] head0 = floats(model.heads().get(0).params());
    float[] head1 = floats(model.heads().get(1).params());
    float[] classHead = floats(model.graph().getLayer(MultiHeadModel.CLASS_OUTPUT).params());

    model.step(
        batch.features(), batch.classLabels(), batch.randomLabels(), new Terms(false, false, true));

    assertThat(floats(model.heads().get(0).params())).isEqualTo(head0);
    assertThat(floats(model.heads().get(1).params())).isEqualTo(head1);
    assertThat(floats(model.graph().getLayer(MultiHeadModel.CLASS_OUTPUT).params()))
        .isEqualTo(classHead);
    assertThat(floats(model.graph().params())).as("the extractor moves").isNotEqualTo(extractor);
  }

  @Test
  void lambdaZeroGivesExactlyTheExtractorUpdateOfANetWithoutHeads() {
    MultiHeadModel withHeads =
        MultiHeadModel.create(
            Specs.smallCnn(
                12,
                List.of(
                    Specs.head("penultimate", 0),
                    Specs.head("block1", 0),
                    Specs.head("block2", 0))));
    MultiHeadModel plain = MultiHeadModel.create(Specs.smallCnn(12, List.of()));
    assertThat(plain.graph().params().length()).isEqualTo(withHeads.graph().params().length());
    plain.graph().setParams(withHeads.graph().params().dup());

    for (int step = 0; step < 3; step++) {
      withHeads.step(batch.features(), batch.classLabels(), batch.randomLabels(), Terms.ALL);
      plain.step(batch.features(), batch.classLabels(), batch.randomLabels(), Terms.ALL);
    }

    assertThat(floats(withHeads.graph().params())).isEqualTo(floats(plain.graph().params()));
  }

  /**
   * Spatial and flat taps, linear and MLP heads, the equal-capacity readout (adaptive pooling to a
   * grid, then the fixed projection; block1 here pools 4×4 to an overlapping 3×3 grid) and the
   * global-pool readout.
   */
  @ParameterizedTest(name = "{0} head, hidden width {1}, {2} readout")
  @CsvSource({
    "block2, 0, EQUAL",
    "block1, 6, EQUAL",
    "penultimate, 6, EQUAL",
    "penultimate, 0, EQUAL",
    "block2, 0, POOLED",
    "block1, 6, POOLED"
  })
  void theRegularizersExtractorGradientMatchesFiniteDifferences(
      String tap, int hiddenWidth, Readout readout) {
    TinyData data = TinyData.generate(6, 8, 10, 10, Split.train, 5, DataType.DOUBLE);
    double lambda = 2.5;
    ModelSpec base =
        Specs.smallCnn(
            8,
            List.of(new HeadSpec(tap, 0, 10, lambda, hiddenWidth)),
            new TrunkOptions(0, false, 0.25),
            new Nesterovs(0.1, 0.9),
            DataType.DOUBLE);
    MultiHeadModel model =
        MultiHeadModel.create(
            new ModelSpec(
                base.architecture(),
                base.input(),
                base.numClasses(),
                base.heads(),
                base.trunk(),
                0,
                0,
                base.updater(),
                base.seed(),
                DataType.DOUBLE,
                readout,
                0));
    INDArray analytic =
        model.gradient(
            data.features(),
            data.classLabels(),
            data.randomLabels(),
            new Terms(false, false, true));
    INDArray params = model.graph().params();
    int classParams = (int) model.graph().getLayer(MultiHeadModel.CLASS_OUTPUT).numParams();
    int extractorParams = (int) params.length() - classParams;
    // Only the first block feeds block1 (its parameters come first in the flattened vector).
    int upstream =
        tap.equals("block1")
            ? (int) model.graph().getLayer("block1-conv").numParams()
            : extractorParams;

    Random pick = new Random(11);
    double epsilon = 1e-6;
    int checked = 0;
    for (int n = 0; n < 150; n++) {
      int j = pick.nextInt(upstream);
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
        assertThat(exact)
            .as("parameter %d", j)
            .isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
      }
    }
    assertThat(checked).as("parameters with a gradient").isGreaterThan(20);
  }

  /** λ·Σ_i −log(1 − p_ŷ,i), straight from a forward pass and the head's probabilities. */
  private static double regularizerObjective(MultiHeadModel model, TinyData data, double lambda) {
    INDArray features = model.headInput(data.features(), 0);
    INDArray probabilities = model.heads().get(0).probabilities(features);
    INDArray labels = data.randomLabels().get(0);
    double sum = 0;
    for (int i = 0; i < probabilities.size(0); i++) {
      int target = labels.getRow(i).argMax().getInt(0);
      sum += -Math.log(1 - probabilities.getDouble(i, target));
    }
    return lambda * sum;
  }

  /** Every trainable graph parameter by layer and key (batch norm's running statistics are not). */
  private static Map<String, float[]> trainable(MultiHeadModel model) {
    Map<String, float[]> params = new TreeMap<>();
    for (Layer layer : model.graph().getLayers()) {
      layer
          .paramTable()
          .forEach(
              (key, value) -> {
                if (!BatchNormalizationParamInitializer.GLOBAL_MEAN.equals(key)
                    && !BatchNormalizationParamInitializer.GLOBAL_VAR.equals(key)
                    && !BatchNormalizationParamInitializer.GLOBAL_LOG_STD.equals(key)) {
                  params.put(
                      layer.getConfig().getLayerName() + "/" + key, floats(value.dup().ravel()));
                }
              });
    }
    assertThat(params).as("trainable parameters").isNotEmpty();
    return params;
  }

  private static float[] floats(INDArray array) {
    return array.dup().castTo(DataType.FLOAT).toFloatVector();
  }
}
