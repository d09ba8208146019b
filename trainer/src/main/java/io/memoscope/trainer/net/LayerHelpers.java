package io.memoscope.trainer.net;

import java.lang.reflect.Field;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Swaps the helper (the native implementation DL4J hands a layer's work to) of a built layer, and
 * what memoscope's helpers share. DL4J chooses helpers itself when a layer is created and offers no
 * setter; its layers keep the helper in a field named {@code helper}.
 */
final class LayerHelpers {

  private LayerHelpers() {}

  /** Row-major with no gaps (a view at an offset counts), so a reshape is a view, not a copy. */
  static boolean contiguous(INDArray x) {
    return x.ordering() == 'c' && Arrays.equals(x.stride(), Nd4j.getStrides(x.shape(), 'c'));
  }

  static void replace(Layer layer, Class<? extends Layer> declaringClass, LayerHelper helper) {
    try {
      Field field = declaringClass.getDeclaredField("helper");
      field.setAccessible(true);
      field.set(layer, helper);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot set the helper of DL4J's "
              + declaringClass.getSimpleName()
              + " (has DL4J's version changed?)",
          e);
    }
  }
}
