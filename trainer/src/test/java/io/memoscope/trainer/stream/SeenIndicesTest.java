package io.memoscope.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenIndicesTest {

  @Test
  void anIndexIsNewOnlyTheFirstTimeAcrossPageBordersAndAtTheExtremes() {
    SeenIndices seen = new SeenIndices();
    long[] indices = {0, 63, 64, 4_095, 4_096, 1L << 40, Long.MAX_VALUE};

    for (long index : indices) {
      assertThat(seen.add(index)).as("first %d", index).isTrue();
    }
    for (long index : indices) {
      assertThat(seen.add(index)).as("again %d", index).isFalse();
    }
    assertThat(seen.add(1)).isTrue();
    assertThat(seen.add(4_097)).isTrue();
    assertThat(seen.add(Long.MAX_VALUE - 1)).isTrue();
  }
}
