package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.config.ConfigException;
import io.memoscope.trainer.config.ConfigLayer;
import io.memoscope.trainer.config.TrainingConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep file's seeds and the {@code --seeds} flag's two forms. */
class SweepTest {

  @TempDir Path dir;

  @Test
  void aCountMeansSeedsOneToNAndAListMeansThoseSeeds() throws Exception {
    assertThat(Sweep.parseSeeds("3", "--seeds")).containsExactly(1L, 2L, 3L);
    assertThat(Sweep.parseSeeds("7,2, 9", "--seeds")).containsExactly(7L, 2L, 9L);
    assertThat(
            Sweep.read(Files.writeString(dir.resolve("a.yaml"), "seeds: 2\nruns: {baseline: {}}\n"))
                .seeds())
        .containsExactly(1L, 2L);
    // A one-element list is a seed, not a count.
    assertThat(
            Sweep.read(
                    Files.writeString(dir.resolve("b.yaml"), "seeds: [5]\nruns: {baseline: {}}\n"))
                .seeds())
        .containsExactly(5L);
    assertThat(
            Sweep.read(Files.writeString(dir.resolve("c.yaml"), "runs: {baseline: {}}\n")).seeds())
        .isEmpty();
  }

  @Test
  void theBundledSweepRunsThreeSeedsAndProbesOnceAtTheEnd() {
    Sweep sweep = Sweep.read(Path.of("..", "experiments", "fashion-mnist-regularizers.yaml"));

    assertThat(sweep.seeds()).containsExactly(1L, 2L, 3L);
    assertThat(sweep.runs()).hasSize(9).containsKeys("baseline", "augmentation", "lambda-100");
    assertThat(sweep.base()).containsEntry("epochs", "40").containsEntry("probe.every", "40");
    // Every run's config builds (a typo would fail that run in the sweep, hours later).
    sweep
        .runs()
        .forEach(
            (name, overrides) ->
                assertThat(
                        TrainingConfigLoader.load(
                                List.of(
                                    ConfigLayer.of("base", sweep.base()),
                                    ConfigLayer.of(name, overrides)))
                            .toFlatMap())
                    .as(name)
                    .containsKey("seed"));
  }

  @Test
  void theGpuSweepRunsTenConfigurationsUnderThreeSeedsAndEveryConfigBuilds() {
    Sweep sweep = Sweep.read(Path.of("..", "experiments", "cifar10-wrn.yaml"));

    assertThat(sweep.seeds()).containsExactly(1L, 2L, 3L);
    assertThat(sweep.runs())
        .hasSize(10)
        .containsKeys("baseline", "augmentation", "standard", "lambda-100");
    assertThat(sweep.base())
        .containsEntry("model.name", "wrn-16-4")
        .containsEntry("epochs", "100")
        .containsEntry("probe.every", "100");
    sweep
        .runs()
        .forEach(
            (name, overrides) ->
                assertThat(
                        TrainingConfigLoader.load(
                                List.of(
                                    ConfigLayer.of("base", sweep.base()),
                                    ConfigLayer.of(name, overrides)))
                            .toFlatMap())
                    .as(name)
                    .containsEntry("model.name", "wrn-16-4"));
  }

  @Test
  void badSeedsAreRefusedWithTheirSource() {
    assertThatThrownBy(() -> Sweep.parseSeeds("0", "--seeds"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--seeds");
    assertThatThrownBy(() -> Sweep.parseSeeds("1,1", "--seeds")).hasMessageContaining("distinct");
    assertThatThrownBy(() -> Sweep.parseSeeds("three", "--seeds")).hasMessageContaining("count N");
  }
}
