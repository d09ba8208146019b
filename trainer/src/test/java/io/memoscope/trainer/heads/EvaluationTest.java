package io.memoscope.trainer.heads;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.Split;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.Evaluator;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.metrics.UpdateRatios;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class EvaluationTest {

  private final TinyData train = TinyData.generate(64, 12, 10, 10, Split.train, 9, DataType.FLOAT);
  private final TinyData test = TinyData.generate(40, 12, 10, 10, Split.test, 9, DataType.FLOAT);

  @Test
  void evaluationInChunksCountsEverySampleOnce() {
    MultiHeadModel model =
        MultiHeadModel.create(
            Specs.smallCnn(12, List.of(Specs.head("penultimate", 0), Specs.head("block1", 0))));
    Samples trainSamples = new Samples(train.features(), train.classLabels(), train.randomLabels());
    Samples testSamples = new Samples(test.features(), test.classLabels(), test.randomLabels());

    EvaluationMetrics chunked = new Evaluator(7).evaluate(model, 0, trainSamples, testSamples);
    EvaluationMetrics whole = new Evaluator(1000).evaluate(model, 0, trainSamples, testSamples);

    assertThat(chunked).isEqualTo(whole);
    assertThat(chunked.heads())
        .extracting(EvaluationMetrics.HeadEvaluation::head)
        .containsExactly("penultimate/0", "block1/0");
    assertThat(chunked.generalizationGap())
        .isEqualTo(chunked.trainAccuracy() - chunked.testAccuracy());
  }

  @Test
  void updateRatiosArePositiveForLayersThatMovedAndCoverEveryLayerWithParameters() {
    MultiHeadModel model =
        MultiHeadModel.create(Specs.smallCnn(12, List.of(Specs.head("penultimate", 0))));
    TinyData batch = train.slice(0, 16);

    UpdateRatios ratios = UpdateRatios.before(model.graph());
    model.step(batch.features(), batch.classLabels(), batch.randomLabels(), Terms.ALL);
    Map<String, Double> measured = ratios.after(model.graph());

    assertThat(measured)
        .containsKeys("block1-conv", "block2-conv", "penultimate", MultiHeadModel.CLASS_OUTPUT);
    assertThat(measured.get("block1-conv")).isPositive().isLessThan(1);
  }
}
