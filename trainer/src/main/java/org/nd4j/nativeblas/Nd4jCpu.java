package org.nd4j.nativeblas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Stands in for the pre-M2 class that Deeplearning4j 1.0.0-M2.1 still looks up by name.
 *
 * <p>{@code BaseMKLDNNHelper.mklDnnEnabled()} asks {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * whether oneDNN is in use ({@code getInstance().isUseMKLDNN()}). M2.1 moved that class to {@code
 * org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method to {@code
 * isUseONEDNN()}; the failed lookup silently drops every oneDNN layer helper. This class answers
 * under the old name by asking the new one. It goes through reflection because the CPU bindings are
 * absent under the {@code cuda} profile, where the answer is simply {@code false}.
 */
public final class Nd4jCpu {

  private Nd4jCpu() {}

  /** The old-name environment; only {@link #isUseMKLDNN()} is ever asked of it. */
  public static final class Environment {

    private static final String BINDINGS =
        "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
    private static final Environment INSTANCE = new Environment(lookUpIsUseOneDnn());

    private final MethodHandle isUseOneDnn;

    private Environment(MethodHandle isUseOneDnn) {
      this.isUseOneDnn = isUseOneDnn;
    }

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether libnd4j runs convolution and pooling through oneDNN; false without CPU bindings. */
    public boolean isUseMKLDNN() {
      if (isUseOneDnn == null) {
        return false;
      }
      try {
        return (boolean) isUseOneDnn.invokeExact();
      } catch (Throwable e) {
        // DL4J treats any failure here as "no oneDNN"; an error must not take training down.
        return false;
      }
    }

    /** A handle answering {@code Environment.getInstance().isUseONEDNN()}, or null off the CPU. */
    private static MethodHandle lookUpIsUseOneDnn() {
      try {
        Class<?> bindings = Class.forName(BINDINGS, false, Environment.class.getClassLoader());
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle getInstance =
            lookup.findStatic(bindings, "getInstance", MethodType.methodType(bindings));
        MethodHandle isUse =
            lookup.findVirtual(bindings, "isUseONEDNN", MethodType.methodType(boolean.class));
        // The native environment is a process-wide singleton: ask it afresh on each call so that
        // a later setUseONEDNN(false) is honoured.
        return MethodHandles.filterReturnValue(getInstance, isUse);
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }
  }
}
