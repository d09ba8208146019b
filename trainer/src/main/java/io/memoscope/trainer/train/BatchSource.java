package io.memoscope.trainer.train;

import io.memoscope.trainer.data.Batch;
import java.util.Iterator;

/**
 * Where a run's training batches come from, epoch by epoch: in memory for tests, or streamed from
 * Kafka. The order of an epoch must be a pure function of the run's seed and the epoch number.
 */
public interface BatchSource {

  /** Batches per epoch (the last may be smaller). */
  long batchesPerEpoch();

  /** The epoch's batches, augmented and assembled, in training order. Close it if abandoned. */
  Epoch epoch(int epoch);

  /** One epoch's batches. */
  interface Epoch extends Iterator<Batch>, AutoCloseable {
    @Override
    void close();
  }
}
