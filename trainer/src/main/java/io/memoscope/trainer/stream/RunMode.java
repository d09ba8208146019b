package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.trainer.config.TrainingConfig;
import java.util.Objects;

/**
 * What a streaming run is: a new run, the continuation of an interrupted one, or a replay of a
 * finished one's data. Each says where the run's data set and config come from.
 */
public sealed interface RunMode {

  /** A new run of {@code config} on the data set's records as they are now. */
  record Fresh(String dataset, TrainingConfig config) implements RunMode {
    public Fresh {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(config, "config");
    }
  }

  /**
   * The run of the same id goes on from its newest valid checkpoint (from the start if it has
   * none); its data set, record ranges and config are those of the manifest beside its checkpoints.
   */
  record Resume() implements RunMode {}

  /**
   * A new run on exactly the record ranges of {@code original}'s manifest, under {@code config}
   * (the original's recorded config, or a changed copy of it).
   */
  record Replay(RunManifest original, TrainingConfig config) implements RunMode {
    public Replay {
      Objects.requireNonNull(original, "original");
      Objects.requireNonNull(config, "config");
    }
  }
}
