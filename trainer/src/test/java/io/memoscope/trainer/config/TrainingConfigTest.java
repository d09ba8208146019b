package io.memoscope.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.trainer.config.OptimizerConfig.Name;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class TrainingConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    TrainingConfig config = TrainingConfig.defaults();
    assertThat(config.model().name()).isEqualTo("small-cnn");
    assertThat(config.heads().taps()).containsExactly("penultimate");
    assertThat(config.heads().kind()).isEqualTo(HeadsConfig.Kind.LINEAR);
    assertThat(config.heads().hiddenWidth()).isEqualTo(128);
    assertThat(config.heads().lambda()).isEqualTo(Lambdas.of(0));
    assertThat(config.heads().labelings()).isEqualTo(HeadsConfig.ALL_LABELINGS);
    assertThat(config.regularization()).isEqualTo(new RegularizationConfig(0, 0, 0));
    assertThat(config.augmentation().enabled()).isFalse();
    assertThat(config.optimizer().name()).isEqualTo(Name.SGD);
    assertThat(config.optimizer().learningRate()).isEqualTo(0.05);
    assertThat(config.optimizer().momentum()).isEqualTo(0.9);
    assertThat(config.optimizer().schedule()).isEqualTo(OptimizerConfig.Schedule.COSINE);
    assertThat(config.epochs()).isEqualTo(10);
    assertThat(config.batchSize()).isEqualTo(128);
    assertThat(config.eval()).isEqualTo(new EvalConfig(1, EvalConfig.Unit.EPOCHS, 2000));
    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.dataType()).isEqualTo(DataType.FLOAT);
  }

  @Test
  void flatMapIsSortedAndReadsBackToAnEqualConfig() {
    TrainingConfig defaults = TrainingConfig.defaults();
    assertThat(List.copyOf(defaults.toFlatMap().keySet()))
        .isSorted()
        .contains("optimizer.learning-rate", "heads.lambda", "seed");
    assertThat(TrainingConfig.fromFlatMap(defaults.toFlatMap())).isEqualTo(defaults);

    Map<String, String> changed = new HashMap<>();
    changed.put("model.name", "wrn-16-4");
    changed.put("model.width-scale", "0.25");
    changed.put("heads.taps", "group1, group3");
    changed.put("heads.kind", "MLP");
    changed.put("heads.lambda", "block2=1e5,0.1");
    changed.put("heads.labelings", "3");
    changed.put("regularization.weight-decay", "5e-4");
    changed.put("regularization.label-smoothing", "0.1");
    changed.put("augmentation.crop-padding", "4");
    changed.put("augmentation.horizontal-flip", "true");
    changed.put("optimizer.name", "adam");
    changed.put("optimizer.warmup-fraction", "0.05");
    changed.put("optimizer.min-learning-rate", "1e-6");
    changed.put("eval.unit", "steps");
    changed.put("eval.every", "500");
    changed.put("seed", "-7");
    changed.put("data-type", "double");
    TrainingConfig config = TrainingConfig.fromFlatMap(changed);
    assertThat(config.heads().lambda().perTap()).containsEntry("block2", 1e5);
    assertThat(config.toFlatMap())
        .containsEntry("heads.lambda", "0.1,block2=100000")
        .containsEntry("regularization.weight-decay", "0.0005")
        .containsEntry("heads.taps", "group1,group3")
        .containsEntry("heads.kind", "mlp");
    assertThat(TrainingConfig.fromFlatMap(config.toFlatMap())).isEqualTo(config);
  }

  @Test
  void learningRateDefaultsToTheChosenOptimizers() {
    assertThat(
            TrainingConfig.fromFlatMap(Map.of("optimizer.name", "adam")).optimizer().learningRate())
        .isEqualTo(1e-3);
    assertThat(
            TrainingConfig.fromFlatMap(
                    Map.of("optimizer.name", "adam", "optimizer.learning-rate", "0.01"))
                .optimizer()
                .learningRate())
        .isEqualTo(0.01);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "model.name | vgg | model.name must be one of small-cnn, wrn-16-4, not 'vgg'",
        "epochs | 0 | epochs must be at least 1, not 0",
        "batch-size | many | batch-size must be an integer, not 'many'",
        "regularization.dropout | 1 | regularization.dropout must be in [0, 1), not 1",
        "regularization.label-smoothing | -0.1 | regularization.label-smoothing must be in [0, 1), not -0.1",
        "optimizer.learning-rate | 0 | optimizer.learning-rate must be positive, not 0",
        "optimizer.name | rmsprop | optimizer.name must be one of sgd, adam, not 'rmsprop'",
        "optimizer.momentum | 1.0 | optimizer.momentum must be in [0, 1), not 1",
        "heads.lambda | -1 | heads.lambda values must be >= 0, not -1",
        "heads.lambda | block2=x | heads.lambda must look like 0.5 or block2=1 or 0.1,block3=10, not 'block2=x'",
        "heads.taps | all,block1 | heads.taps 'all' cannot be combined with tap names",
        "heads.taps | block1,,block2 | heads.taps has an invalid tap name ''",
        "heads.labelings | 0 | heads.labelings must be 'all' or at least 1, not 0",
        "augmentation.horizontal-flip | yes | augmentation.horizontal-flip must be true or false, not 'yes'",
        "augmentation.crop-padding | -2 | augmentation.crop-padding must be >= 0, not -2",
        "eval.unit | hours | eval.unit must be one of steps, epochs, not 'hours'",
        "data-type | half | data-type must be float or double, not 'half'",
        "optimiser.name | adam | optimiser.name is not a training setting",
      })
  void aBadValueIsOneLineNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> TrainingConfig.fromFlatMap(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void crossFieldRulesNameTheKey() {
    assertThatThrownBy(
            () ->
                TrainingConfig.fromFlatMap(
                    Map.of("optimizer.warmup-steps", "10", "optimizer.warmup-fraction", "0.1")))
        .hasMessage("optimizer.warmup-fraction cannot be set together with optimizer.warmup-steps");
    assertThatThrownBy(
            () -> TrainingConfig.fromFlatMap(Map.of("optimizer.min-learning-rate", "0.1")))
        .hasMessage("optimizer.min-learning-rate must be in [0, optimizer.learning-rate], not 0.1");
  }

  @Test
  void lambdasParseAndFormat() {
    assertThat(Lambdas.parse("0.5")).isEqualTo(Lambdas.of(0.5));
    Lambdas lambdas = Lambdas.parse(" block3 = 10 , 0.1 , block1=0");
    assertThat(lambdas.forTap("block3")).isEqualTo(10);
    assertThat(lambdas.forTap("block1")).isEqualTo(0);
    assertThat(lambdas.forTap("penultimate")).isEqualTo(0.1);
    assertThat(lambdas.format()).isEqualTo("0.1,block1=0,block3=10");
    assertThat(Lambdas.parse(lambdas.format())).isEqualTo(lambdas);
    assertThat(Lambdas.parse("block2=1").defaultValue()).isZero();
    assertThatThrownBy(() -> Lambdas.parse("1,2"))
        .hasMessage("heads.lambda has two default values in '1,2'");
  }

  @Test
  void trunkOptionsComeFromModelAndRegularization() {
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of(
                "regularization.dropout",
                "0.3",
                "model.batch-norm",
                "false",
                "model.width-scale",
                "0.5"));
    assertThat(config.trunkOptions().dropout()).isEqualTo(0.3);
    assertThat(config.trunkOptions().batchNorm()).isFalse();
    assertThat(config.trunkOptions().scaled(64)).isEqualTo(32);
  }
}
