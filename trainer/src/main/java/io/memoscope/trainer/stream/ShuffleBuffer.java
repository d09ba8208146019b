package io.memoscope.trainer.stream;

import io.memoscope.trainer.net.InputShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A seeded shuffle buffer: holds up to {@code capacity} items; each new item takes the place of a
 * randomly chosen one, which is handed on. With the whole data set fitting, it is a full shuffle;
 * with less, a local one in bounded memory. Given the same input order and seed the output order is
 * the same.
 */
final class ShuffleBuffer<T> {

  /**
   * Bytes a held sample costs beyond its pixels: the sample view, its arrays' headers, the list
   * slot.
   */
  private static final int OVERHEAD_BYTES_PER_SAMPLE = 160;

  private final int capacity;
  private final Random random;
  private final Consumer<T> downstream;
  private final List<T> held = new ArrayList<>();

  ShuffleBuffer(int capacity, long seed, Consumer<T> downstream) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "shuffle buffer capacity must be at least 1, not " + capacity);
    }
    this.capacity = capacity;
    this.random = new Random(seed);
    this.downstream = downstream;
  }

  /**
   * The automatic capacity: as many samples of this shape as an eighth of the heap holds, so a data
   * set that fits is shuffled whole and a larger one in bounded memory. Two epochs' buffers can be
   * alive at once (the next epoch is read while the last batches of one train).
   */
  static int capacityFor(InputShape shape, long maxHeapBytes) {
    long bytes =
        (long) shape.height() * shape.width() * shape.channels() + OVERHEAD_BYTES_PER_SAMPLE;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / 8 / bytes));
  }

  void add(T item) {
    if (held.size() < capacity) {
      held.add(item);
      return;
    }
    int slot = random.nextInt(capacity);
    T out = held.get(slot);
    held.set(slot, item);
    downstream.accept(out);
  }

  /** Hands on what is left, shuffled. */
  void flush() {
    Collections.shuffle(held, random);
    held.forEach(downstream);
    held.clear();
  }
}
