package io.memoscope.trainer.net;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * A feature extractor E, chosen by name ({@code small-cnn}, {@code wrn-16-4}). It adds its layers
 * to a graph whose input vertex is {@value Architectures#INPUT} and names its taps: the points
 * where random-label heads may read the features.
 */
public interface Architecture {

  /** The name users choose it by. */
  String name();

  /**
   * Adds the extractor's layers to {@code graph}, reading from the input vertex.
   *
   * @return the taps in depth order; the last one is the penultimate feature the class head reads
   */
  Trunk addTo(GraphBuilder graph, InputShape input, TrunkOptions options);
}
