package io.memoscope.trainer.runtime;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * Deeplearning4j's oneDNN layer helpers: the convolution, pooling and batch-norm implementations
 * that hand the work to oneDNN instead of DL4J's own im2col + gemm path (about 8x faster training
 * here, docs/benchmarks.md). M2.1 ships them switched off; see {@code org.nd4j.nativeblas.Nd4jCpu}
 * for the second half of the fix.
 */
public final class OneDnnHelpers {

  /** DL4J's switch; it defaults to {@code true} (helpers disabled) in 1.0.0-M2.1. */
  public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

  private static final String HELPER_PACKAGE = "org.deeplearning4j.nn.layers.mkldnn";

  private OneDnnHelpers() {}

  /**
   * Lets DL4J create helpers for layers built from now on, unless the user set the property (then
   * it is theirs: {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} is the way to measure
   * the built-in path).
   */
  static void allowUnlessUserDecided(boolean userDecided) {
    if (!userDecided) {
      System.setProperty(DISABLE_PROPERTY, "false");
    }
  }

  static boolean disabledByProperty() {
    return Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"));
  }

  /**
   * Whether layers created now get oneDNN helpers: DL4J's own test (CPU backend, helpers allowed by
   * libnd4j, oneDNN in the native build) plus its property.
   */
  public static boolean active() {
    return !disabledByProperty() && BaseMKLDNNHelper.mklDnnEnabled();
  }

  /** Whether this layer (a convolution, pooling, batch-norm … layer) runs through oneDNN. */
  public static boolean usedBy(Layer layer) {
    LayerHelper helper = layer.getHelper();
    return helper != null && helper.getClass().getPackageName().equals(HELPER_PACKAGE);
  }

  /** The helper's class name, or "built-in" when DL4J's own implementation runs. */
  public static String helperName(Layer layer) {
    LayerHelper helper = layer.getHelper();
    return helper == null ? "built-in" : helper.getClass().getSimpleName();
  }
}
