package io.memoscope.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCountTest {

  @Test
  void takesOmpNumThreadsWhenItIsAPositiveInteger() {
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "2"))).isEqualTo(2);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", " 3 "))).isEqualTo(3);
  }

  @Test
  void takesTheOuterLevelOfANestedList() {
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "4,2"))).isEqualTo(4);
  }

  @Test
  void defaultsToOneThreadOnTheCpu() {
    assertThat(ThreadCount.forCpu(Map.of())).isEqualTo(1);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "0"))).isEqualTo(1);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "many"))).isEqualTo(1);
    assertThat(ThreadCount.fromEnvironment(Map.of("OMP_NUM_THREADS", ""))).isEmpty();
  }
}
