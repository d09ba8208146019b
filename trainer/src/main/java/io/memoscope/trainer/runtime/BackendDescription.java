package io.memoscope.trainer.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/** One line naming the ND4J backend and the device it computes on, for the trainer's log. */
final class BackendDescription {

  private static final String CPU_LIBRARY = "libnd4jcpu.so";

  private BackendDescription() {}

  static String describe() {
    String backend = "ND4J " + Nd4j.getBackend().getClass().getSimpleName();
    return Nd4j.getEnvironment().isCPU() ? backend + cpu() : backend + gpu();
  }

  /**
   * The backend as keys for a run's manifest: {@code nd4j.backend} (the backend class), and on the
   * CPU {@code nd4j.build} (the native build loaded), {@code nd4j.blas} and {@code nd4j.cpu-level};
   * on CUDA {@code nd4j.device} (the device's name and compute capability).
   */
  static Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("nd4j.backend", Nd4j.getBackend().getClass().getSimpleName());
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    if (Nd4j.getEnvironment().isCPU()) {
      environment.put("nd4j.build", nativeBuild());
      environment.put("nd4j.blas", Nd4j.factory().blas().getBlasVendor().toString());
      environment.put("nd4j.cpu-level", cpuLevel(ops.optimalLevel()));
    } else {
      int device = Nd4j.getAffinityManager().getDeviceForCurrentThread();
      environment.put(
          "nd4j.device",
          ops.getDeviceName(device)
              + " (compute "
              + ops.getDeviceMajor(device)
              + "."
              + ops.getDeviceMinor(device)
              + ")");
    }
    return environment;
  }

  private static String cpu() {
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int threads = Nd4j.getEnvironment().maxMasterThreads();
    String helpers = OneDnnHelpers.active() ? "oneDNN helpers on" : "oneDNN helpers off";
    return " ("
        + helpers
        + "), "
        + threads
        + (threads == 1 ? " thread" : " threads")
        + ", "
        + cpuLevel(ops.optimalLevel())
        + ", build "
        + nativeBuild()
        + ", "
        + Nd4j.factory().blas().getBlasVendor();
  }

  private static String gpu() {
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int device = Nd4j.getAffinityManager().getDeviceForCurrentThread();
    int devices = Nd4j.getAffinityManager().getNumberOfDevices();
    return ", device "
        + device
        + " of "
        + devices
        + ": "
        + ops.getDeviceName(device)
        + " (compute "
        + ops.getDeviceMajor(device)
        + "."
        + ops.getDeviceMinor(device)
        + ")";
  }

  /** The widest instruction set the CPU offers, in libnd4j's levels (CpuNDArrayFactory's names). */
  static String cpuLevel(int level) {
    switch (level) {
      case 3:
        return "AVX512";
      case 2:
        return "AVX2";
      default:
        return "generic x86";
    }
  }

  /**
   * The JavaCPP platform folder libnd4j was loaded from ("linux-x86_64-onednn"): which of the
   * native builds is actually running, since a wrong one on the classpath fails silently slow.
   */
  static String nativeBuild() {
    for (Map.Entry<String, String> library : Loader.getLoadedLibraries().entrySet()) {
      String path = library.getValue();
      if (path != null && path.endsWith(CPU_LIBRARY)) {
        Path folder = Path.of(path).getParent();
        return folder == null ? "?" : folder.getFileName().toString();
      }
    }
    return "?";
  }
}
