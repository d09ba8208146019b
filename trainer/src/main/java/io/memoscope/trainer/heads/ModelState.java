package io.memoscope.trainer.heads;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything that changes as a {@link MultiHeadModel} trains, copied out: parameters (batch-norm
 * statistics included), optimiser state and iteration counts of the graph and of every head, and
 * the state of ND4J's random generator, which dropout draws from. Restoring it into a model built
 * from the same spec continues training exactly where it was.
 *
 * @param random the generator's state, or null where it was not saved (restoring keeps the current
 *     one)
 */
public record ModelState(NetworkState graph, List<NetworkState> heads, RandomState random) {

  public ModelState {
    heads = List.copyOf(heads);
  }

  /** ND4J's generator state: its {@code rootState()} and {@code nodeState()}. */
  public record RandomState(long root, long node) {}

  /**
   * @param updater the optimiser's state, or null for an optimiser without state
   * @param iterations optimiser steps taken (drives the learning-rate schedule)
   */
  public record NetworkState(INDArray params, INDArray updater, int iterations, int epochs) {}
}
