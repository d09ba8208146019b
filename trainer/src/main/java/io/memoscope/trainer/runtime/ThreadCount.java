package io.memoscope.trainer.runtime;

import java.util.Map;
import java.util.OptionalInt;

/** How many threads ND4J computes with on the CPU, when the caller does not say. */
final class ThreadCount {

  static final String ENV = "OMP_NUM_THREADS";

  /**
   * One thread by default. Measured on the 2-vCPU development machine (docs/benchmarks.md,
   * dl4j-cpu-performance note): DL4J with oneDNN helpers trains the small CNN faster on one
   * thread than on two (oneDNN's OpenMP regions and libnd4j's thread pool spin against each other
   * for the second core), and a single training thread leaves the other core to Kafka consumption,
   * record decoding and batch assembly, or lets two runs of a sweep train side by side.
   */
  static final int CPU_DEFAULT = 1;

  private ThreadCount() {
  }

  /** The count the process was started with ({@value #ENV}, a positive integer), if any. */
  static OptionalInt fromEnvironment(Map<String, String> env) {
    String value = env.get(ENV);
    if (value == null) {
      return OptionalInt.empty();
    }
    // OpenMP also accepts a comma list of counts per nesting level; the first is the outer one.
    String first = value.split(",", 2)[0].trim();
    try {
      int threads = Integer.parseInt(first);
      return threads > 0 ? OptionalInt.of(threads) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** The count to use on the CPU: the environment's, else {@link #CPU_DEFAULT}. */
  static int forCpu(Map<String, String> env) {
    return fromEnvironment(env).orElse(CPU_DEFAULT);
  }
}
