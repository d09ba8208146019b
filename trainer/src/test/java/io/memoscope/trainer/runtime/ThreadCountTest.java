package io.memoscope.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCountTest {

  @Test
  void takesOmpNumThreadsWhenItIsAPositiveInteger() {
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "2"), 2)).isEqualTo(2);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", " 3 "), 2)).isEqualTo(3);
  }

  @Test
  void ompNumThreadsWinsOverTheDefaultOnAnyMachine() {
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "1"), 64)).isEqualTo(1);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "32"), 64)).isEqualTo(32);
  }

  @Test
  void takesTheOuterLevelOfANestedList() {
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "4,2"), 2)).isEqualTo(4);
  }

  @Test
  void defaultsToHalfTheProcessorsAtLeastOneAtMostEight() {
    assertThat(ThreadCount.cpuDefault(1)).isEqualTo(1);
    assertThat(ThreadCount.cpuDefault(2)).isEqualTo(1); // measured: 2 threads are slower on 2 vCPUs
    assertThat(ThreadCount.cpuDefault(3)).isEqualTo(1);
    assertThat(ThreadCount.cpuDefault(4)).isEqualTo(2);
    assertThat(ThreadCount.cpuDefault(8)).isEqualTo(4);
    assertThat(ThreadCount.cpuDefault(16)).isEqualTo(8);
    assertThat(ThreadCount.cpuDefault(128)).isEqualTo(ThreadCount.CPU_DEFAULT_MAX);
  }

  @Test
  void fallsBackToTheDefaultWhenOmpNumThreadsIsUnsetOrUnusable() {
    assertThat(ThreadCount.forCpu(Map.of(), 8)).isEqualTo(4);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "0"), 8)).isEqualTo(4);
    assertThat(ThreadCount.forCpu(Map.of("OMP_NUM_THREADS", "many"), 8)).isEqualTo(4);
    assertThat(ThreadCount.forCpu(Map.of(), 2)).isEqualTo(1);
    assertThat(ThreadCount.fromEnvironment(Map.of("OMP_NUM_THREADS", ""))).isEmpty();
  }
}
