package io.memoscope.trainer.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.Terms;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Evaluator;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.TrunkOptions;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Known answers for the instrument: what the co-trained head and the probe must read when the truth
 * is known. Chance is 1/10 throughout.
 */
class ProbeKnownAnswerTest {

  // The trainer's ND4J set-up (oneDNN helpers on, one thread), whatever ran before in this JVM.
  @BeforeAll
  static void configureNd4j() {
    Nd4jRuntime.configure();
  }

  private static final int SIZE = 16;
  private static final int CLASSES = 10;
  private static final List<String> TAPS = List.of("block1", "block2", "penultimate");

  /**
   * Training and test images come from one distribution and the labels are random, so an untrained
   * network's features hold nothing that tells the training samples apart: at every tap the probe
   * fits both sets equally well, within their intervals.
   */
  @Test
  void anUntrainedNetworkGivesTheProbeNothingSampleSpecific() {
    Samples train = noise(1000, Split.train, 3);
    Samples test = noise(1000, Split.test, 3);
    MultiHeadModel model =
        MultiHeadModel.create(spec(List.of(new HeadSpec("penultimate", 0, CLASSES, 0, 0))));

    ProbeReport report =
        new Probe(ProbeRecipe.standard(0, 100, 11))
            .run(model, train, test, TAPS, CLASSES, 0, "untrained");

    assertThat(report.results()).extracting(ProbeResult::tap).containsExactlyElementsOf(TAPS);
    for (ProbeResult result : report.results()) {
      print("untrained", result);
      assertThat(result.difference().contains(0))
          .as("%s: difference %s contains 0", result.tap(), result.difference())
          .isTrue();
      assertThat(result.train().interval().low())
          .as(result.tap())
          .isLessThan(result.test().interval().high());
      assertThat(result.test().interval().low())
          .as(result.tap())
          .isLessThan(result.train().interval().high());
    }
  }

  /**
   * The class head is trained on the random labels themselves (class label := random label, noise
   * images), so the penultimate features must separate the training samples' random labels and know
   * nothing of the test samples'. Measured (docs/trainer.md): the co-trained head 0.951 on training
   * samples and 0.104 on test samples; the probe fits the training samples 1.000 and the test
   * samples 0.234, a difference of 0.766 [0.726, 0.800].
   */
  @Test
  void aNetworkForcedToMemorizeReadsOneOnTrainingSamplesAndChanceOnTestSamples() {
    Samples train = noise(512, Split.train, 5);
    Samples test = noise(512, Split.test, 5);
    MultiHeadModel model =
        MultiHeadModel.create(spec(List.of(new HeadSpec("penultimate", 0, CLASSES, 0, 0))));
    long step = 0;
    HeadEvaluation head = null;
    for (int epoch = 0; epoch < 60 && (head == null || head.trainAccuracy() < 0.95); epoch++) {
      for (int from = 0; from < 512; from += 32) {
        Samples batch = slice(train, from, from + 32);
        // The class label is the random label: the network has nothing to learn but the labels.
        model.step(batch.features(), batch.randomLabels().get(0), batch.randomLabels(), Terms.ALL);
        step++;
      }
      head = new Evaluator(256).evaluate(model, step, train, test).heads().get(0);
    }

    System.out.printf(
        "forced, step %d: co-trained head train %s test %s%n",
        step, head.train().interval(), head.test().interval());
    assertThat(head.trainAccuracy())
        .as("co-trained head on training samples")
        .isGreaterThanOrEqualTo(0.9);
    assertThat(head.test().interval().contains(0.1))
        .as("co-trained head on test samples %s holds chance", head.test().interval())
        .isTrue();

    ProbeReport report =
        new Probe(ProbeRecipe.standard(0, 200, 11))
            .run(model, train, test, List.of("penultimate"), CLASSES, step, "forced");
    ProbeResult probe = report.results().get(0);
    print("forced", probe);
    assertThat(probe.train().value())
        .as("probe fit on training samples")
        .isGreaterThanOrEqualTo(0.9);
    assertThat(probe.difference().low())
        .as("probe: training minus test fit %s", probe.difference())
        .isGreaterThanOrEqualTo(0.5);
    assertThat(probe.memorizationIndex().low()).as("probe memorization index").isGreaterThan(0.8);
  }

  private static void print(String what, ProbeResult result) {
    System.out.printf(
        "%s %s: probe train %s test %s difference %s index %s epochs %d/%d%n",
        what,
        result.tap(),
        result.train().interval(),
        result.test().interval(),
        result.difference(),
        result.memorizationIndex(),
        result.epochsTrain(),
        result.epochsTest());
  }

  private static ModelSpec spec(List<HeadSpec> heads) {
    return new ModelSpec(
        "small-cnn",
        new InputShape(SIZE, SIZE, 1),
        CLASSES,
        heads,
        new TrunkOptions(0, true, 1),
        0,
        0,
        new Adam(3e-3),
        7,
        DataType.FLOAT);
  }

  /** Uniform noise images; class label and random label are both the protocol's random label. */
  static Samples noise(int count, Split split, long seed) {
    Random random = new Random(seed * 31 + split.ordinal());
    INDArray features = Nd4j.create(DataType.FLOAT, count, 1, SIZE, SIZE);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, count, CLASSES);
    for (int i = 0; i < count; i++) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          features.putScalar(new long[] {i, 0, y, x}, random.nextFloat());
        }
      }
      labels.putScalar(i, RandomLabels.label(seed, "noise", split, i, 0, CLASSES), 1);
    }
    return new Samples(features, labels, List.of(labels));
  }

  static Samples slice(Samples samples, int from, int to) {
    return new Samples(
        rows(samples.features(), from, to),
        rows(samples.classLabels(), from, to),
        List.of(rows(samples.randomLabels().get(0), from, to)));
  }

  private static INDArray rows(INDArray array, int from, int to) {
    return array.get(NDArrayIndex.interval(from, to)).dup();
  }
}
