package io.memoscope.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.trainer.config.TrainingConfig;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class OptimizersTest {

  @Test
  void sgdIsNesterovMomentumWithTheWarmupCosineSchedule() {
    TrainingConfig config = TrainingConfig.fromFlatMap(Map.of("optimizer.warmup-fraction", "0.1"));
    IUpdater updater = Optimizers.updater(config, 1000);
    assertThat(updater).isInstanceOf(Nesterovs.class);
    Nesterovs nesterovs = (Nesterovs) updater;
    assertThat(nesterovs.getMomentum()).isEqualTo(0.9);
    assertThat(nesterovs.getLearningRateSchedule())
        .isEqualTo(
            new WarmupCosineSchedule(
                org.nd4j.linalg.schedule.ScheduleType.ITERATION, 0.05, 100, 1000, 0));
    assertThat(updater.getLearningRate(99, 0)).isCloseTo(0.05, within(1e-12));
    assertThat(updater.getLearningRate(550, 0)).isCloseTo(0.025, within(1e-12));
  }

  @Test
  void zeroMomentumIsPlainSgdAndAdamIsAdam() {
    assertThat(
            Optimizers.updater(TrainingConfig.fromFlatMap(Map.of("optimizer.momentum", "0")), 10))
        .isInstanceOf(Sgd.class);
    IUpdater adam =
        Optimizers.updater(TrainingConfig.fromFlatMap(Map.of("optimizer.name", "adam")), 10);
    assertThat(adam).isInstanceOf(Adam.class);
    assertThat(adam.getLearningRate(0, 0)).isEqualTo(1e-3);
  }

  @Test
  void constantScheduleStaysAtThePeak() {
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of("optimizer.schedule", "constant", "optimizer.warmup-steps", "5000"));
    IUpdater updater = Optimizers.updater(config, 100);
    // The warm-up never outlasts the run.
    assertThat(
            ((WarmupCosineSchedule) ((Nesterovs) updater).getLearningRateSchedule()).warmupSteps())
        .isEqualTo(100);
    assertThat(updater.getLearningRate(100, 0)).isEqualTo(0.05);
    assertThat(updater.getLearningRate(10_000, 0)).isEqualTo(0.05);
  }

  @Test
  void totalStepsMustBePositive() {
    assertThatThrownBy(() -> Optimizers.updater(TrainingConfig.defaults(), 0))
        .hasMessageContaining("total steps must be in [1,");
  }

  @Test
  void aNetworkConfigWithTheUpdaterRoundTripsThroughJson() {
    IUpdater updater = Optimizers.updater(TrainingConfig.defaults(), 500);
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .updater(updater)
            .graphBuilder()
            .addInputs("input")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nIn(4)
                    .nOut(3)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "input")
            .setOutputs("out")
            .build();
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertThat(back).isEqualTo(conf);
  }
}
