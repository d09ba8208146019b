package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep file's seeds and the {@code --seeds} flag's two forms. */
class SweepTest {

  @TempDir
  Path dir;

  @Test
  void aCountMeansSeedsOneToNAndAListMeansThoseSeeds() throws Exception {
    assertThat(Sweep.parseSeeds("3", "--seeds")).containsExactly(1L, 2L, 3L);
    assertThat(Sweep.parseSeeds("7,2, 9", "--seeds")).containsExactly(7L, 2L, 9L);
    assertThat(Sweep.read(Files.writeString(dir.resolve("a.yaml"), "seeds: 2\nruns: {baseline: {}}\n")).seeds())
        .containsExactly(1L, 2L);
    // A one-element list is a seed, not a count.
    assertThat(Sweep.read(Files.writeString(dir.resolve("b.yaml"), "seeds: [5]\nruns: {baseline: {}}\n")).seeds())
        .containsExactly(5L);
    assertThat(Sweep.read(Files.writeString(dir.resolve("c.yaml"), "runs: {baseline: {}}\n")).seeds()).isEmpty();
  }

  @Test
  void badSeedsAreRefusedWithTheirSource() {
    assertThatThrownBy(() -> Sweep.parseSeeds("0", "--seeds")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--seeds");
    assertThatThrownBy(() -> Sweep.parseSeeds("1,1", "--seeds")).hasMessageContaining("distinct");
    assertThatThrownBy(() -> Sweep.parseSeeds("three", "--seeds")).hasMessageContaining("count N");
  }
}
