package io.memoscope.trainer.train;

/**
 * Where a run stands: in epoch {@code epoch} (1-based), {@code batchesDone} of its batches trained,
 * {@code step} optimizer steps in all, and the tally of the samples those batches held. Epoch order
 * is a pure function of (seed, epoch), so a resumed run replays the epoch, skips the batches
 * already done, and checks that the skipped samples match the tally.
 */
public record TrainingPosition(int epoch, long batchesDone, long step, EpochTally tally) {

  public static final TrainingPosition START = new TrainingPosition(1, 0, 0, EpochTally.EMPTY);

  public TrainingPosition {
    if (epoch < 1 || batchesDone < 0 || step < 0 || tally == null) {
      throw new IllegalArgumentException(
          "not a training position: epoch "
              + epoch
              + ", batch "
              + batchesDone
              + ", step "
              + step
              + ", tally "
              + tally);
    }
  }
}
