package io.memoscope.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingConfigLoaderTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void yamlMayNestOrUseDottedKeys() throws IOException {
    Path file =
        write(
            "run.yaml",
            """
        model:
          name: wrn-16-4
        optimizer.name: adam
        optimizer:
          learning-rate: 3e-4
          warmup-steps: 100
        heads:
          taps: [group2, group3]
          lambda: 0.5
        augmentation: {crop-padding: 4, horizontal-flip: true}
        epochs: 200
        """);
    TrainingConfig config = TrainingConfigLoader.load(Optional.of(file), Map.of());
    assertThat(config.model().name()).isEqualTo("wrn-16-4");
    assertThat(config.optimizer().name()).isEqualTo(OptimizerConfig.Name.ADAM);
    assertThat(config.optimizer().learningRate()).isEqualTo(3e-4);
    assertThat(config.optimizer().warmupSteps()).isEqualTo(100);
    assertThat(config.heads().taps()).containsExactly("group2", "group3");
    assertThat(config.heads().lambda()).isEqualTo(Lambdas.of(0.5));
    assertThat(config.augmentation()).isEqualTo(new AugmentationConfig(4, true));
    assertThat(config.epochs()).isEqualTo(200);
    assertThat(config.batchSize()).isEqualTo(128);
  }

  @Test
  void propertiesFilesWork() throws IOException {
    Path file =
        write("run.properties", "optimizer.name = adam\nheads.lambda = 0,block2=1\nseed=7\n");
    TrainingConfig config = TrainingConfigLoader.load(Optional.of(file), Map.of());
    assertThat(config.optimizer().learningRate()).isEqualTo(1e-3);
    assertThat(config.heads().lambda().forTap("block2")).isEqualTo(1);
    assertThat(config.seed()).isEqualTo(7);
  }

  @Test
  void overridesBeatTheFileWhichBeatsTheDefaults() throws IOException {
    Path file = write("run.yml", "epochs: 3\nbatch-size: 64\noptimizer.name: adam\n");
    TrainingConfig config =
        TrainingConfigLoader.load(
            Optional.of(file), Map.of("epochs", "5", "optimizer.name", "sgd"));
    assertThat(config.epochs()).isEqualTo(5);
    assertThat(config.batchSize()).isEqualTo(64);
    assertThat(config.eval().subset()).isEqualTo(2000);
    assertThat(config.optimizer().learningRate()).isEqualTo(0.05);
  }

  @Test
  void laterLayersWinAndTheDataSetDefaultsCanBeALayer() {
    TrainingConfig config =
        TrainingConfigLoader.load(
            List.of(
                ConfigLayer.of(
                    "cifar10 defaults",
                    Map.of(
                        "augmentation.horizontal-flip", "true", "augmentation.crop-padding", "4")),
                ConfigLayer.of("flags", Map.of("augmentation.crop-padding", "0"))));
    assertThat(config.augmentation()).isEqualTo(new AugmentationConfig(0, true));
  }

  @Test
  void unknownKeysNameTheKeyAndTheFile() throws IOException {
    Path file = write("run.yaml", "optimizer:\n  nmae: adam\n");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(file), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            file + ": unknown training setting 'optimizer.nmae' (known: optimizer.learning-rate,")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.empty(), Map.of("epoch", "3")))
        .hasMessage("overrides: unknown training setting 'epoch' (known: epochs)");
  }

  @Test
  void badValuesNameWhereTheyCameFrom() throws IOException {
    Path file = write("run.yaml", "epochs: 0\n");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(file), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": epochs must be at least 1, not 0");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(file), Map.of("epochs", "x")))
        .hasMessage("overrides: epochs must be an integer, not 'x'");
  }

  @Test
  void fileProblemsAreOneLine() throws IOException {
    assertThatThrownBy(
            () -> TrainingConfigLoader.load(Optional.of(dir.resolve("none.yaml")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("none.yaml: not found");
    Path json = write("run.json", "{}");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(json), Map.of()))
        .hasMessageEndingWith("run.json: unknown format (use .yaml, .yml or .properties)");
    Path broken = write("broken.yaml", "epochs: [1\n");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(broken), Map.of()))
        .hasMessageContaining("broken.yaml: not valid YAML")
        .hasMessageNotContaining("\n");
    Path twice = write("twice.yaml", "epochs: 1\nepochs: 2\n");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(twice), Map.of()))
        .hasMessageContaining("twice.yaml: not valid YAML")
        .hasMessageContaining("epochs");
    Path dotted = write("dotted.yaml", "optimizer.name: adam\noptimizer:\n  name: sgd\n");
    assertThatThrownBy(() -> TrainingConfigLoader.load(Optional.of(dotted), Map.of()))
        .hasMessageEndingWith("dotted.yaml: optimizer.name is set twice");
    Path empty = write("empty.yaml", "");
    assertThat(TrainingConfigLoader.load(Optional.of(empty), Map.of()))
        .isEqualTo(TrainingConfig.defaults());
  }

  @Test
  void theManifestFormReadsBackThroughTheLoader() throws IOException {
    TrainingConfig config =
        TrainingConfigLoader.load(
            Optional.empty(),
            Map.of(
                "model.name",
                "wrn-16-4",
                "heads.taps",
                "all",
                "heads.lambda",
                "1e-2",
                "optimizer.schedule",
                "constant"));
    StringBuilder properties = new StringBuilder();
    config
        .toFlatMap()
        .forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
    Path file = write("manifest.properties", properties.toString());
    assertThat(TrainingConfigLoader.load(Optional.of(file), Map.of())).isEqualTo(config);
  }
}
