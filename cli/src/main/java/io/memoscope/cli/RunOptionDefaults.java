package io.memoscope.cli;

/**
 * Where runs live by default, shared by the commands that train or read them (train, experiment,
 * replay, probe, demo), so that a run trained by one command is found by the others. How often a
 * run reports and checkpoints is {@link io.memoscope.trainer.stream.RunTuning}'s.
 */
final class RunOptionDefaults {

  /** Where runs keep their manifests and checkpoints, in {@code <dir>/<run-id>/}. */
  static final String CHECKPOINT_DIR = "runs";

  private RunOptionDefaults() {}
}
