package io.memoscope.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.trainer.net.InputShape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffleBufferTest {

  @Test
  void theSameInputAndSeedGiveTheSameOrderAndEveryItemOnce() {
    List<Integer> first = shuffled(1_000, 100, 7);

    assertThat(shuffled(1_000, 100, 7)).isEqualTo(first);
    assertThat(shuffled(1_000, 100, 8)).isNotEqualTo(first);
    assertThat(first)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1_000).boxed().toList())
        .isNotEqualTo(IntStream.range(0, 1_000).boxed().toList());
  }

  @Test
  void aBufferHoldingEverythingShufflesAcrossTheWholeInput() {
    List<Integer> order = shuffled(1_000, 1_000, 7);

    // A bounded buffer can only move an item so far ahead; a whole-set shuffle puts late items
    // first.
    assertThat(order.subList(0, 100)).anyMatch(i -> i >= 900);
  }

  @Test
  void theAutomaticCapacityIsAEighthOfTheHeapInSamples() {
    long gib = 1L << 30;

    assertThat(ShuffleBuffer.capacityFor(new InputShape(28, 28, 1), gib))
        .isEqualTo((int) (gib / 8 / (784 + 160)));
    assertThat(ShuffleBuffer.capacityFor(new InputShape(32, 32, 3), gib))
        .isEqualTo((int) (gib / 8 / (3072 + 160)));
    assertThat(ShuffleBuffer.capacityFor(new InputShape(4096, 4096, 3), 1 << 20)).isEqualTo(1);
  }

  private static List<Integer> shuffled(int count, int capacity, long seed) {
    List<Integer> out = new ArrayList<>();
    ShuffleBuffer<Integer> buffer = new ShuffleBuffer<>(capacity, seed, out::add);
    IntStream.range(0, count).forEach(buffer::add);
    buffer.flush();
    return out;
  }
}
