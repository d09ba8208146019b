package io.memoscope.trainer.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per layer, ‖update‖ / ‖parameters‖ of one step: DL4J's training-UI rule of thumb (around 1e-3 is
 * healthy; much larger is unstable, much smaller is not learning). Costs a copy of the parameters,
 * so the trainer measures it every few hundred steps only.
 */
public final class UpdateRatios {

  private final Map<String, INDArray> before = new LinkedHashMap<>();

  private UpdateRatios() {}

  /** Copies every layer's parameters; call right before the step to measure. */
  public static UpdateRatios before(ComputationGraph graph) {
    UpdateRatios ratios = new UpdateRatios();
    for (Layer layer : graph.getLayers()) {
      if (layer.numParams() > 0) {
        ratios.before.put(layer.conf().getLayer().getLayerName(), layer.params().dup());
      }
    }
    return ratios;
  }

  /**
   * @return layer name → ‖θ_after − θ_before‖ / ‖θ_before‖
   */
  public Map<String, Double> after(ComputationGraph graph) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    before.forEach(
        (name, old) -> {
          INDArray now = graph.getLayer(name).params();
          double norm = old.norm2Number().doubleValue();
          ratios.put(
              name, norm == 0 ? Double.NaN : now.sub(old).norm2Number().doubleValue() / norm);
        });
    return ratios;
  }
}
