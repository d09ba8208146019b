package io.memoscope.trainer.heads;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything that changes as a {@link MultiHeadModel} trains, copied out: parameters (batch-norm
 * statistics included), optimiser state and iteration counts of the graph and of every head.
 * Restoring it into a model built from the same spec continues training exactly where it was.
 */
public record ModelState(NetworkState graph, List<NetworkState> heads) {

  public ModelState {
    heads = List.copyOf(heads);
  }

  /**
   * @param updater the optimiser's state, or null for an optimiser without state
   * @param iterations optimiser steps taken (drives the learning-rate schedule)
   */
  public record NetworkState(INDArray params, INDArray updater, int iterations, int epochs) {}
}
