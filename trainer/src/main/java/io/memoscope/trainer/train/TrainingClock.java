package io.memoscope.trainer.train;

import java.util.function.LongSupplier;

/**
 * Training time between two progress lines: wall-clock time (waiting for data included) minus what
 * evaluations, probes and checkpoints took in between, so that samples/s means training speed and a
 * line after an evaluation is neither inflated nor deflated by it.
 */
final class TrainingClock {

  private final LongSupplier nanos;
  private long lapStart;
  private long excluded;

  TrainingClock(LongSupplier nanos) {
    this.nanos = nanos;
    this.lapStart = nanos.getAsLong();
  }

  /**
   * Seconds of training since the previous lap (or since the clock started); starts the next lap.
   */
  double lap() {
    long now = nanos.getAsLong();
    double seconds = (now - lapStart - excluded) / 1e9;
    lapStart = now;
    excluded = 0;
    return seconds;
  }

  /** Runs work that is not training; its time is left out of the current lap. */
  void excluding(Runnable work) {
    long started = nanos.getAsLong();
    try {
      work.run();
    } finally {
      excluded += nanos.getAsLong() - started;
    }
  }
}
