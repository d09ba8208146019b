package io.memoscope.trainer.train;

/**
 * Where a run stands: in epoch {@code epoch} (1-based), {@code batchesDone} of its batches
 * trained, {@code step} optimizer steps in all. Epoch order is a pure function of (seed, epoch),
 * so a resumed run replays the epoch and skips the batches already done.
 */
public record TrainingPosition(int epoch, long batchesDone, long step) {

  public static final TrainingPosition START = new TrainingPosition(1, 0, 0);
}
