package io.memoscope.trainer.stream;

import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;

/**
 * Fails the run at the end of an epoch that did not train on exactly the manifest's records less
 * the dead-lettered ones: a record lost or read twice would otherwise go unnoticed, and a replay
 * would no longer reproduce the run. Also keeps the step the last epoch ended at, for the summary.
 */
final class EpochSampleCheck implements TrainingListener {

  private final String trainTopic;
  private final long samplesPerEpoch;
  private final DeadLetters deadLetters;
  private volatile long lastStep;

  /**
   * @param startStep the step the run starts at (a resumed run's checkpoint)
   */
  EpochSampleCheck(
      String trainTopic, long samplesPerEpoch, DeadLetters deadLetters, long startStep) {
    this.trainTopic = trainTopic;
    this.samplesPerEpoch = samplesPerEpoch;
    this.deadLetters = deadLetters;
    this.lastStep = startStep;
  }

  @Override
  public void onEpochEnd(int epoch, long step, EpochTally tally) {
    lastStep = step;
    long rejected = deadLetters.rejected(trainTopic);
    if (tally.samples() != samplesPerEpoch - rejected) {
      throw new IllegalStateException(
          "epoch "
              + epoch
              + " trained "
              + tally.samples()
              + " samples, but the"
              + " manifest's range of "
              + trainTopic
              + " holds "
              + samplesPerEpoch
              + " records of which "
              + rejected
              + " were dead-lettered: records were lost or read twice");
    }
  }

  /** Samples each epoch trains on: the range's records less those dead-lettered. */
  long trainedPerEpoch() {
    return samplesPerEpoch - deadLetters.rejected(trainTopic);
  }

  /** The step at which the last epoch ended. */
  long lastStep() {
    return lastStep;
  }
}
