package io.memoscope.trainer.net;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;

/**
 * Swaps the helper (the native implementation DL4J hands a layer's work to) of a built layer.
 * DL4J chooses helpers itself when a layer is created and offers no setter; its layers keep the
 * helper in a field named {@code helper}.
 */
final class LayerHelpers {

  private LayerHelpers() {
  }

  static void replace(Layer layer, Class<? extends Layer> declaringClass, LayerHelper helper) {
    try {
      Field field = declaringClass.getDeclaredField("helper");
      field.setAccessible(true);
      field.set(layer, helper);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot set the helper of DL4J's " + declaringClass.getSimpleName()
          + " (has DL4J's version changed?)", e);
    }
  }
}
