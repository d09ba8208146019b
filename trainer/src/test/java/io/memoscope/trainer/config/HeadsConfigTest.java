package io.memoscope.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.Tap;
import io.memoscope.trainer.net.Trunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadsConfigTest {

  private static final Trunk TRUNK =
      new Trunk(
          List.of(
              new Tap("block1", "b1", true, 16),
              new Tap("block2", "b2", true, 32),
              new Tap("penultimate", "dense", false, 128)));

  private static HeadsConfig heads(Map<String, String> values) {
    return TrainingConfig.fromFlatMap(values).heads();
  }

  @Test
  void defaultIsOneLinearObserverPerLabelingOnThePenultimateFeature() {
    List<HeadSpec> specs = HeadsConfig.defaults().specs(TRUNK, 2, 10);
    assertThat(specs)
        .containsExactly(
            new HeadSpec("penultimate", 0, 10, 0, 0), new HeadSpec("penultimate", 1, 10, 0, 0));
  }

  @Test
  void allTapsInDepthOrderWithPerTapLambdaAndMlpHeads() {
    HeadsConfig config =
        heads(
            Map.of(
                "heads.taps",
                "all",
                "heads.kind",
                "mlp",
                "heads.hidden-width",
                "64",
                "heads.lambda",
                "0.5,block2=2",
                "heads.labelings",
                "1"));
    assertThat(config.specs(TRUNK, 3, 100))
        .containsExactly(
            new HeadSpec("block1", 0, 100, 0.5, 64),
            new HeadSpec("block2", 0, 100, 2, 64),
            new HeadSpec("penultimate", 0, 100, 0.5, 64));
  }

  @Test
  void listedTapsComeBackInDepthOrder() {
    assertThat(heads(Map.of("heads.taps", "penultimate,block1")).selectedTaps(TRUNK))
        .extracting(Tap::name)
        .containsExactly("block1", "penultimate");
  }

  @Test
  void penultimateMeansTheLastTapWhateverItIsCalled() {
    Trunk other =
        new Trunk(List.of(new Tap("conv", "c", true, 8), new Tap("features", "f", false, 32)));
    assertThat(HeadsConfig.defaults().selectedTaps(other))
        .extracting(Tap::name)
        .containsExactly("features");
  }

  @Test
  void mistakesAgainstTheArchitectureAreReported() {
    assertThatThrownBy(() -> heads(Map.of("heads.taps", "group1")).selectedTaps(TRUNK))
        .hasMessageContaining("no tap named 'group1'");
    assertThatThrownBy(() -> heads(Map.of("heads.lambda", "block2=1")).selectedTaps(TRUNK))
        .hasMessage("heads.lambda sets tap 'block2' but the heads read [penultimate]");
    assertThatThrownBy(() -> heads(Map.of("heads.labelings", "3")).resolveLabelings(2))
        .hasMessage("heads.labelings is 3 but the data set has 2 labeling(s)");
  }

  @Test
  void labelingsDefaultToAllTheDataSetHasAndAtLeastOne() {
    assertThat(HeadsConfig.defaults().resolveLabelings(4)).isEqualTo(4);
    assertThat(HeadsConfig.defaults().resolveLabelings(0)).isEqualTo(1);
    assertThat(heads(Map.of("heads.labelings", "2")).resolveLabelings(4)).isEqualTo(2);
  }
}
