package io.memoscope.trainer.runtime;

import java.util.Map;
import java.util.OptionalInt;

/** How many threads ND4J computes with on the CPU, when the caller does not say. */
final class ThreadCount {

  static final String ENV = "OMP_NUM_THREADS";

  /**
   * The most threads the default gives a run. The default network's ops are small (a batch of 128
   * images of 28x28): past a handful of threads each op's parallel region costs more in start-up
   * and synchronisation than it saves. A judgement, not a measurement (none was made above 2
   * cores); {@value #ENV} sets any count.
   */
  static final int CPU_DEFAULT_MAX = 8;

  private ThreadCount() {}

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

  /**
   * The default for a machine with this many processors (the JVM's count, which honours a
   * container's CPU limit): half of them, rounded down, at least 1 and at most {@link
   * #CPU_DEFAULT_MAX}. So 1 on 1 to 3 processors, 2 on 4, 4 on 8, 8 on 16 or more.
   *
   * <p>Half, because processors are usually hyperthreads, two to a core, and the trainer's other
   * work (Kafka consumption, record decoding and batch assembly on the prefetch thread, the event
   * publisher, GC) needs a core of its own rather than competing with the compute threads. One on 2
   * processors, measured: a whole `memoscope train` run (5 epochs of 8,192 Fashion-MNIST images,
   * 2-vCPU VM) took 18.2 s on 1 thread and 22.1 s on 2 (docs/benchmarks.md).
   */
  static int cpuDefault(int availableProcessors) {
    return Math.max(1, Math.min(CPU_DEFAULT_MAX, availableProcessors / 2));
  }

  /** The count to use on the CPU: the environment's, else {@link #cpuDefault}. */
  static int forCpu(Map<String, String> env, int availableProcessors) {
    return fromEnvironment(env).orElse(cpuDefault(availableProcessors));
  }
}
