package io.memoscope.cli;

/**
 * Defaults of the run options that several commands share (train, experiment, replay, probe,
 * demo), written once so that a run trained by one command is found by the others.
 */
final class RunOptionDefaults {

  /** Where runs keep their manifests and checkpoints, in {@code <dir>/<run-id>/}. */
  static final String CHECKPOINT_DIR = "runs";
  /** Steps between step events (and progress lines). */
  static final int LOG_EVERY = 50;
  /** Steps between checkpoints. */
  static final int CHECKPOINT_EVERY = 500;
  /** The newest checkpoints a run keeps. */
  static final int KEEP_CHECKPOINTS = 3;
  /** Steps between per-layer update-ratio measurements. */
  static final int RATIO_EVERY = 500;

  private RunOptionDefaults() {
  }
}
