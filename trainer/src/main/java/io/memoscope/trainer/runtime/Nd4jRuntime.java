package io.memoscope.trainer.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets ND4J / Deeplearning4j up for training, once, before the first network is built.
 *
 * <p>On the CPU backend: switches DL4J's oneDNN layer helpers on (off by default in 1.0.0-M2.1) and
 * sets the thread count ({@code OMP_NUM_THREADS} when the process was started with it, else half
 * the processors, at least 1 and at most 8, see {@link ThreadCount#cpuDefault}). On CUDA nothing is
 * changed: DL4J's helpers there are the cuDNN ones of {@code deeplearning4j-cuda}, which M2.1 does
 * not publish, and host threads only feed the device.
 *
 * <p>The OpenMP thread count oneDNN uses is per thread, so call {@link #configure()} on the thread
 * that trains; calling it again (from any thread) is cheap and changes nothing else.
 */
public final class Nd4jRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);

  private static boolean configured;
  private static CompletableFuture<Void> loading;
  private static boolean userDecidedHelpers;
  private static int threads;

  private Nd4jRuntime() {}

  /**
   * Starts loading ND4J (its backend and native libraries, about 0.4 s on the CPU) on a daemon
   * thread, so that a caller's own set-up, mostly waiting on Kafka, overlaps it. Nothing is
   * configured there: {@link #configure} still sets the thread counts, and {@link #load} waits for
   * the loading and throws its failure with the original cause (a class whose initialisation failed
   * on another thread would otherwise only say "Could not initialize class").
   */
  public static synchronized void startLoading() {
    if (loading == null) {
      CompletableFuture<Void> future = new CompletableFuture<>();
      Thread loader =
          new Thread(
              () -> {
                try {
                  Nd4j.getEnvironment();
                  future.complete(null);
                } catch (Throwable e) { // reported by load(), on the thread that needs ND4J
                  future.completeExceptionally(e);
                }
              },
              "nd4j-loader");
      loader.setDaemon(true);
      loader.start();
      loading = future;
    }
  }

  /** Loads ND4J, or waits for {@link #startLoading}'s loading; throws its failure. */
  public static void load() {
    CompletableFuture<Void> future;
    synchronized (Nd4jRuntime.class) {
      future = loading;
    }
    if (future == null) {
      Nd4j.getEnvironment();
      return;
    }
    try {
      future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException("loading ND4J failed: " + cause, cause);
    }
  }

  /**
   * Configures ND4J with {@link #defaultCpuThreads()} threads on the CPU and returns {@link
   * #backendDescription()}.
   */
  public static synchronized String configure() {
    return configure(defaultCpuThreads());
  }

  /**
   * The CPU thread count {@link #configure()} uses: {@code OMP_NUM_THREADS}, else half the
   * processors the JVM sees (at least 1, at most 8).
   */
  public static int defaultCpuThreads() {
    return ThreadCount.forCpu(System.getenv(), Runtime.getRuntime().availableProcessors());
  }

  /** As {@link #configure()} with an explicit CPU thread count (ignored on CUDA). */
  public static synchronized String configure(int cpuThreads) {
    if (cpuThreads < 1) {
      throw new IllegalArgumentException("cpuThreads must be >= 1, got " + cpuThreads);
    }
    load();
    if (!configured) {
      // Read before anything here sets it, so that a repeated call still knows whose it is.
      userDecidedHelpers = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY) != null;
    }
    if (Nd4j.getEnvironment().isCPU()) {
      OneDnnHelpers.allowUnlessUserDecided(userDecidedHelpers);
      if (!configured || cpuThreads != threads) {
        CpuThreads.apply(cpuThreads);
      } else {
        CpuThreads.applyToCurrentThread(cpuThreads);
      }
      threads = cpuThreads;
    }
    String description = backendDescription();
    if (!configured) {
      LOG.info("{}", description);
    }
    configured = true;
    return description;
  }

  /**
   * One line naming the backend and device, e.g. {@code ND4J CpuBackend (oneDNN helpers on), 1
   * thread, AVX512, build linux-x86_64-onednn, OPENBLAS} or {@code ND4J JCublasBackend, device 0 of
   * 1: NVIDIA H100 80GB HBM3 (compute 9.0)}. Loads ND4J if nothing has yet.
   */
  public static String backendDescription() {
    return BackendDescription.describe();
  }

  /**
   * The backend, its native build and BLAS as manifest keys (see BackendDescription#environment).
   * Loads ND4J.
   */
  public static Map<String, String> environment() {
    load();
    return BackendDescription.environment();
  }

  /** Whether {@link #configure} has run. */
  public static synchronized boolean isConfigured() {
    return configured;
  }

  /** The CPU thread count ND4J computes with (libnd4j's pool, OpenBLAS, this thread's OpenMP). */
  public static int cpuThreads() {
    return Nd4j.getEnvironment().maxMasterThreads();
  }

  /** The OpenMP thread count of the calling thread, which is what oneDNN uses on it. */
  public static int cpuThreadsOfCurrentThread() {
    return CpuThreads.ofCurrentThread();
  }
}
