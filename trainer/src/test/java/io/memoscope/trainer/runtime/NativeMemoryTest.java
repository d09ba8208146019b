package io.memoscope.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

  @Test
  void collectsOncePerWindowAndNotBetween() {
    AtomicLong now = new AtomicLong();
    AtomicInteger collections = new AtomicInteger();
    NativeMemory memory = new NativeMemory(now::get, collections::incrementAndGet);
    long window = NativeMemory.WINDOW.toNanos();

    now.set(window - 1);
    memory.reclaimIfDue();
    assertThat(collections).hasValue(0);

    now.set(window);
    memory.reclaimIfDue();
    memory.reclaimIfDue();
    assertThat(collections).hasValue(1);

    now.set(2 * window);
    memory.reclaimIfDue();
    assertThat(collections).hasValue(2);
  }
}
