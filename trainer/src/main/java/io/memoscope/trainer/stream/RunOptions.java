package io.memoscope.trainer.stream;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One streaming run to do.
 *
 * @param runId the run's id: its key in {@code memoscope.runs} and {@code memoscope.events}
 * @param mode new, resumed or replayed, and where its data set and config come from
 * @param runDirectory where the run keeps its manifest, checkpoints and summary
 * @param codeVersion recorded in the manifest, e.g. {@code memoscope 0.4.0}
 * @param tuning reporting, checkpointing and waiting
 */
public record RunOptions(
    String runId, RunMode mode, Path runDirectory, String codeVersion, RunTuning tuning) {

  public RunOptions {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(codeVersion, "codeVersion");
    Objects.requireNonNull(tuning, "tuning");
  }
}
