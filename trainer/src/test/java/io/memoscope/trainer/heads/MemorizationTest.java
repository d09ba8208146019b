package io.memoscope.trainer.heads;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.Split;
import io.memoscope.trainer.heads.MultiHeadModel.Evaluation;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.TrunkOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The method's two basic behaviours at small scale (docs/trainer.md): a pure observer head
 * memorizes the training samples' random labels while the held-out ones stay at chance; a large λ
 * keeps the head at chance while the class is still learned. Chance is 1/10 here.
 */
class MemorizationTest {

  private static final int TRAIN = 256;
  private static final int SIZE = 16;
  private static final int BATCH = 32;

  private final TinyData train =
      TinyData.generate(TRAIN, SIZE, 10, 10, Split.train, 21, DataType.FLOAT);
  private final TinyData heldOut =
      TinyData.generate(TRAIN, SIZE, 10, 10, Split.test, 21, DataType.FLOAT);

  @Test
  void anObserverHeadMemorizesTrainingLabelsButNotHeldOutOnes() {
    MultiHeadModel model = model(0);

    train(model, 25);

    double memorized = headAccuracy(model, train);
    double heldOutAccuracy = headAccuracy(model, heldOut);
    System.out.printf(
        "λ=0: random-label accuracy train %.3f, held-out %.3f, class accuracy %.3f%n",
        memorized, heldOutAccuracy, classAccuracy(model, heldOut));
    assertThat(memorized).as("train random-label accuracy").isGreaterThanOrEqualTo(0.30);
    assertThat(heldOutAccuracy).as("held-out random-label accuracy").isLessThan(0.20);
  }

  @Test
  void aLargeLambdaKeepsTheHeadAtChanceWhileTheClassIsLearned() {
    MultiHeadModel model = model(20);

    train(model, 25);

    double memorized = headAccuracy(model, train);
    double classAccuracy = classAccuracy(model, heldOut);
    System.out.printf(
        "λ=20: random-label accuracy train %.3f, class accuracy (held-out) %.3f%n",
        memorized, classAccuracy);
    assertThat(memorized).as("train random-label accuracy").isLessThan(0.20);
    assertThat(classAccuracy).as("held-out class accuracy").isGreaterThan(0.50);
  }

  private static MultiHeadModel model(double lambda) {
    return MultiHeadModel.create(
        Specs.smallCnn(
            SIZE,
            List.of(new HeadSpec("penultimate", 0, 10, lambda, 256)),
            new TrunkOptions(0, true, 1),
            new Adam(3e-3),
            DataType.FLOAT));
  }

  private void train(MultiHeadModel model, int epochs) {
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int from = 0; from < TRAIN; from += BATCH) {
        TinyData batch = train.slice(from, from + BATCH);
        model.step(batch.features(), batch.classLabels(), batch.randomLabels(), Terms.ALL);
      }
    }
  }

  private static double headAccuracy(MultiHeadModel model, TinyData data) {
    Evaluation evaluation =
        model.evaluate(data.features(), data.classLabels(), data.randomLabels());
    return (double) evaluation.headCorrect().get(0) / evaluation.seen();
  }

  private static double classAccuracy(MultiHeadModel model, TinyData data) {
    Evaluation evaluation =
        model.evaluate(data.features(), data.classLabels(), data.randomLabels());
    return (double) evaluation.classCorrect() / evaluation.seen();
  }
}
