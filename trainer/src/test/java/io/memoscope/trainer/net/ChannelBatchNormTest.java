package io.memoscope.trainer.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batch-norm helper against DL4J's own oneDNN helper: the same outputs, batch statistics and
 * gradients to float precision, layer by layer and for a training step of a whole network; and the
 * same numbers every time.
 */
class ChannelBatchNormTest {

  private static final double EPS = 1e-5;

  @BeforeAll
  static void oneDnn() {
    HelperFixtures.requireOneDnn();
  }

  @Test
  void matchesDl4jsOneDnnHelperForwardAndBackward() {
    for (long[] shape : new long[][] {{32, 16, 28, 28}, {32, 32, 14, 14}, {3, 4, 5, 7}}) {
      Nd4j.getRandom().setSeed(11);
      // Off-centre activations (mean 3, sd 2), where a careless variance formula loses precision.
      INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(2).addi(3);
      INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);
      long channels = shape[1];
      INDArray gamma = Nd4j.rand(DataType.FLOAT, 1, channels).addi(0.5);
      INDArray beta = Nd4j.randn(DataType.FLOAT, 1, channels);
      INDArray runningMean = Nd4j.randn(DataType.FLOAT, 1, channels);
      INDArray runningVar = Nd4j.rand(DataType.FLOAT, 1, channels).addi(0.5);
      MKLDNNBatchNormHelper dl4j = new MKLDNNBatchNormHelper(DataType.FLOAT);
      ChannelBatchNorm ours = new ChannelBatchNorm(new MKLDNNBatchNormHelper(DataType.FLOAT));
      LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

      INDArray expected =
          dl4j.preOutput(
              x,
              true,
              shape,
              gamma,
              beta,
              runningMean,
              runningVar,
              0.9,
              EPS,
              CNN2DFormat.NCHW,
              workspaces);
      INDArray actual =
          ours.preOutput(
              x,
              true,
              shape,
              gamma,
              beta,
              runningMean,
              runningVar,
              0.9,
              EPS,
              CNN2DFormat.NCHW,
              workspaces);
      assertThat(HelperFixtures.distance(actual, expected))
          .as("training output %s", shape)
          .isLessThan(1e-5);
      assertThat(
              HelperFixtures.distance(
                  ours.getMeanCache(DataType.FLOAT), dl4j.getMeanCache(DataType.FLOAT)))
          .isLessThan(1e-5);
      assertThat(
              HelperFixtures.distance(
                  ours.getVarCache(DataType.FLOAT), dl4j.getVarCache(DataType.FLOAT)))
          .isLessThan(1e-5);

      INDArray dGammaExpected = Nd4j.create(DataType.FLOAT, 1, channels);
      INDArray dBetaExpected = Nd4j.create(DataType.FLOAT, 1, channels);
      INDArray dGamma = Nd4j.create(DataType.FLOAT, 1, channels);
      INDArray dBeta = Nd4j.create(DataType.FLOAT, 1, channels);
      Pair<Gradient, INDArray> expectedBack =
          dl4j.backpropGradient(
              x,
              epsilon,
              shape,
              gamma,
              beta,
              dGammaExpected,
              dBetaExpected,
              EPS,
              CNN2DFormat.NCHW,
              workspaces);
      Pair<Gradient, INDArray> actualBack =
          ours.backpropGradient(
              x, epsilon, shape, gamma, beta, dGamma, dBeta, EPS, CNN2DFormat.NCHW, workspaces);
      assertThat(HelperFixtures.distance(actualBack.getSecond(), expectedBack.getSecond()))
          .as("dx %s", shape)
          .isLessThan(1e-5);
      assertThat(HelperFixtures.distance(dGamma, dGammaExpected))
          .as("dgamma %s", shape)
          .isLessThan(1e-5);
      assertThat(HelperFixtures.distance(dBeta, dBetaExpected))
          .as("dbeta %s", shape)
          .isLessThan(1e-5);
      assertThat(actualBack.getFirst().getGradientFor("gamma")).isSameAs(dGamma);

      INDArray expectedInference =
          dl4j.preOutput(
              x,
              false,
              shape,
              gamma,
              beta,
              runningMean,
              runningVar,
              0.9,
              EPS,
              CNN2DFormat.NCHW,
              workspaces);
      INDArray actualInference =
          ours.preOutput(
              x,
              false,
              shape,
              gamma,
              beta,
              runningMean,
              runningVar,
              0.9,
              EPS,
              CNN2DFormat.NCHW,
              workspaces);
      assertThat(HelperFixtures.distance(actualInference, expectedInference))
          .as("inference uses the running statistics, as DL4J")
          .isLessThan(1e-5);
    }
  }

  @Test
  void handsWhatItDoesNotHandleToDl4j() {
    INDArray x = Nd4j.randn(DataType.FLOAT, 8, 5);
    INDArray gamma = Nd4j.ones(DataType.FLOAT, 1, 5);
    INDArray beta = Nd4j.zeros(DataType.FLOAT, 1, 5);
    MKLDNNBatchNormHelper dl4j = new MKLDNNBatchNormHelper(DataType.FLOAT);
    ChannelBatchNorm ours = new ChannelBatchNorm(dl4j);
    ours.preOutput(
        x,
        true,
        x.shape(),
        gamma,
        beta,
        Nd4j.zeros(DataType.FLOAT, 1, 5),
        Nd4j.ones(DataType.FLOAT, 1, 5),
        0.9,
        EPS,
        CNN2DFormat.NCHW,
        LayerWorkspaceMgr.noWorkspaces());
    assertThat(ours.getMeanCache(DataType.FLOAT)).isSameAs(dl4j.getMeanCache(DataType.FLOAT));
  }

  @Test
  void trainingAWholeNetworkMatchesDl4jAndRepeatsBitForBit() {
    ComputationGraph reference = HelperFixtures.smallCnn(1, true);
    ComputationGraph fast = HelperFixtures.smallCnn(1, true);
    ComputationGraph again = HelperFixtures.smallCnn(1, true);
    assertThat(ChannelBatchNorm.installIn(fast)).isEqualTo(2);
    ChannelBatchNorm.installIn(again);
    for (Layer layer : fast.getLayers()) {
      if (layer instanceof BatchNormalization) {
        assertThat(layer.getHelper()).isInstanceOf(ChannelBatchNorm.class);
      }
    }
    Nd4j.getRandom().setSeed(5);
    DataSet batch = HelperFixtures.batch(32, 1);
    INDArray images = batch.getFeatures();
    reference.fit(batch);
    fast.fit(batch);
    // One step: the same update to float precision. Parameters include each batch-norm layer's
    // running mean and variance. (Over more steps float-level differences grow, as between any two
    // implementations: a max-pool tie or a ReLU at zero goes the other way.)
    assertThat(HelperFixtures.distance(fast.params(), reference.params())).isLessThan(1e-5);
    assertThat(
            HelperFixtures.distance(
                fast.outputSingle(false, images), reference.outputSingle(false, images)))
        .isLessThan(1e-5);
    again.fit(batch);
    for (int step = 1; step < 5; step++) {
      fast.fit(batch);
      again.fit(batch);
    }
    assertThat(fast.params()).isEqualTo(again.params());
  }
}
