package io.memoscope.trainer.runtime;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Applies a thread count to the three pools ND4J computes with on the CPU. OMP_NUM_THREADS, the
 * usual knob, is read once by the native code at load time and cannot be set from Java.
 */
final class CpuThreads {

  private CpuThreads() {}

  /** Sets the process-wide pools, then the calling thread's OpenMP count. */
  static void apply(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Environment environment = Nd4j.getEnvironment();
    // libnd4j's own pool; the master count caps how many of its workers one op may use and must
    // not exceed the pool size, so the pool goes first.
    environment.setMaxThreads(threads);
    environment.setMaxMasterThreads(threads);
    // OpenBLAS (dense layers' gemm) keeps a pool of its own.
    Nd4j.factory().blas().setMaxThreads(threads);
    applyToCurrentThread(threads);
  }

  /**
   * oneDNN runs on OpenMP, whose thread count (omp_set_num_threads) belongs to the calling thread
   * only: ND4J sets it once on whichever thread loaded it, and every other thread starts from the
   * process default (the core count). Training threads therefore set it for themselves.
   */
  static void applyToCurrentThread(int threads) {
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
  }

  /** The OpenMP thread count of the calling thread. */
  static int ofCurrentThread() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }
}
