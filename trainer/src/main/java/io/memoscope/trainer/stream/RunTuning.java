package io.memoscope.trainer.stream;

import io.memoscope.protocol.config.KafkaConnection;
import java.time.Duration;

/**
 * How a streaming run reports, checkpoints and waits: nothing here changes what it learns. The
 * defaults are what {@code memoscope train} uses when no flag says otherwise.
 *
 * @param logEvery steps between STEP events (and progress lines)
 * @param ratioEvery steps between update-ratio events
 * @param prefetch batches assembled ahead of training
 * @param timeout how long a Kafka call may take before the run fails
 * @param checkpointEvery steps between checkpoints
 * @param keepCheckpoints newest checkpoints kept in the run directory
 */
public record RunTuning(
    int logEvery,
    int ratioEvery,
    int prefetch,
    Duration timeout,
    int checkpointEvery,
    int keepCheckpoints) {

  public static final int LOG_EVERY = 50;
  public static final int RATIO_EVERY = 500;
  public static final int PREFETCH = 4;
  public static final Duration TIMEOUT = KafkaConnection.DEFAULT_TIMEOUT;
  public static final int CHECKPOINT_EVERY = 500;
  public static final int KEEP_CHECKPOINTS = 3;

  public RunTuning {
    require(logEvery >= 1, "log every", logEvery);
    require(ratioEvery >= 1, "ratio every", ratioEvery);
    require(prefetch >= 1, "prefetch", prefetch);
    require(checkpointEvery >= 1, "checkpoint every", checkpointEvery);
    require(keepCheckpoints >= 1, "keep checkpoints", keepCheckpoints);
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
  }

  public static RunTuning defaults() {
    return new RunTuning(
        LOG_EVERY, RATIO_EVERY, PREFETCH, TIMEOUT, CHECKPOINT_EVERY, KEEP_CHECKPOINTS);
  }

  public RunTuning withLogEvery(int steps) {
    return new RunTuning(steps, ratioEvery, prefetch, timeout, checkpointEvery, keepCheckpoints);
  }

  public RunTuning withRatioEvery(int steps) {
    return new RunTuning(logEvery, steps, prefetch, timeout, checkpointEvery, keepCheckpoints);
  }

  public RunTuning withPrefetch(int batches) {
    return new RunTuning(logEvery, ratioEvery, batches, timeout, checkpointEvery, keepCheckpoints);
  }

  public RunTuning withTimeout(Duration wait) {
    return new RunTuning(logEvery, ratioEvery, prefetch, wait, checkpointEvery, keepCheckpoints);
  }

  public RunTuning withCheckpoints(int every, int keep) {
    return new RunTuning(logEvery, ratioEvery, prefetch, timeout, every, keep);
  }

  private static void require(boolean valid, String what, int value) {
    if (!valid) {
      throw new IllegalArgumentException(what + " must be at least 1, not " + value);
    }
  }
}
