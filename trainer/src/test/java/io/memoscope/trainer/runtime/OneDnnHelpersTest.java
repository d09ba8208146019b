package io.memoscope.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.nativeblas.Nd4jCpu;

/**
 * The oneDNN helper fix on the CPU profile's native build (linux-x86_64-onednn). If DL4J's property
 * default, its old-name class lookup or the native build change, these fail.
 */
class OneDnnHelpersTest {

  private static final int BATCH = 16;

  @BeforeAll
  static void configure() {
    Nd4jRuntime.configure();
    assumeTrue(Nd4j.getEnvironment().isCPU(), "oneDNN helpers exist on the CPU backend only");
  }

  @Test
  void theOldNameClassReportsOneDnn() {
    assertThat(Nd4jCpu.Environment.getInstance().isUseMKLDNN()).isTrue();
    assertThat(OneDnnHelpers.active()).isTrue();
  }

  @Test
  void convolutionAndPoolingLayersGetOneDnnHelpers() {
    ComputationGraph graph = graph();

    for (String name : SmallConvNet.CONVOLUTIONS) {
      assertThat(graph.getLayer(name).getHelper()).as(name).isInstanceOf(MKLDNNConvHelper.class);
      assertThat(OneDnnHelpers.usedBy(graph.getLayer(name))).isTrue();
    }
    for (String name : SmallConvNet.POOLINGS) {
      assertThat(graph.getLayer(name).getHelper())
          .as(name)
          .isInstanceOf(MKLDNNSubsamplingHelper.class);
    }
  }

  @Test
  void withThePropertySetToDisableTheBuiltInPathRuns() {
    ComputationGraph builtIn = withHelpersDisabled(OneDnnHelpersTest::graph);

    assertThat(builtIn.getLayer("conv1").getHelper()).isNull();
    assertThat(OneDnnHelpers.usedBy(builtIn.getLayer("conv1"))).isFalse();
    assertThat(OneDnnHelpers.helperName(builtIn.getLayer("conv1"))).isEqualTo("built-in");
  }

  @Test
  void helpersComputeWhatTheBuiltInPathComputes() {
    ComputationGraph oneDnn = graph();
    ComputationGraph builtIn = withHelpersDisabled(OneDnnHelpersTest::graph);
    builtIn.setParams(oneDnn.params().dup());
    Nd4j.getRandom().setSeed(3);
    INDArray images = Nd4j.rand(DataType.FLOAT, BATCH, 1, SmallConvNet.SIDE, SmallConvNet.SIDE);
    INDArray labels = oneHot();

    INDArray[] fast = oneDnn.output(images);
    INDArray[] reference = builtIn.output(images);
    for (int i = 0; i < fast.length; i++) {
      assertThat(maxAbsDifference(fast[i], reference[i])).isLessThan(1e-5);
    }

    INDArray fastGradient = gradient(oneDnn, images, labels);
    INDArray referenceGradient = gradient(builtIn, images, labels);
    double relative =
        maxAbsDifference(fastGradient, referenceGradient)
            / referenceGradient.amaxNumber().doubleValue();
    assertThat(relative).isLessThan(1e-4);
  }

  private static ComputationGraph graph() {
    return SmallConvNet.build(11);
  }

  private static <T> T withHelpersDisabled(Supplier<T> action) {
    String before = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY);
    System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, "true");
    try {
      return action.get();
    } finally {
      System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, before);
    }
  }

  private static INDArray gradient(ComputationGraph graph, INDArray images, INDArray labels) {
    graph.setInputs(images);
    graph.setLabels(labels, labels);
    graph.computeGradientAndScore();
    return graph.gradient().gradient().dup();
  }

  private static INDArray oneHot() {
    INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, SmallConvNet.CLASSES);
    for (int i = 0; i < BATCH; i++) {
      labels.putScalar(i, i % SmallConvNet.CLASSES, 1f);
    }
    return labels;
  }

  private static double maxAbsDifference(INDArray a, INDArray b) {
    return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
  }
}
