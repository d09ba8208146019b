package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.train.TrainingPosition;
import java.util.Optional;

/**
 * Where a run starts, resolved from its mode before any Kafka client exists: the data set and
 * config it trains, and for a resumed run the manifest beside its checkpoints and the newest valid
 * checkpoint (none: it starts over).
 *
 * @param recorded the resumed run's manifest; empty for a new run or a replay
 */
record RunStart(
    String dataset,
    TrainingConfig config,
    Optional<RunManifest> recorded,
    Optional<CheckpointStore.Checkpoint> checkpoint) {

  static RunStart of(RunOptions options, CheckpointStore store) {
    RunMode mode = options.mode();
    if (mode instanceof RunMode.Fresh fresh) {
      return new RunStart(fresh.dataset(), fresh.config(), Optional.empty(), Optional.empty());
    }
    if (mode instanceof RunMode.Replay replay) {
      return new RunStart(
          replay.original().getDataset(), replay.config(), Optional.empty(), Optional.empty());
    }
    RunManifest manifest = ManifestFile.read(options.runDirectory(), options.runId());
    return new RunStart(
        manifest.getDataset(),
        TrainingConfig.fromFlatMap(RunManifests.recordedConfig(manifest)),
        Optional.of(manifest),
        store.newestValid());
  }

  TrainingPosition position() {
    return checkpoint.map(CheckpointStore.Checkpoint::position).orElse(TrainingPosition.START);
  }

  /**
   * The sequence number of the run's next event: a resumed run re-emits from its checkpoint's on.
   */
  long nextEventSequence() {
    return checkpoint.map(CheckpointStore.Checkpoint::nextEventSequence).orElse(0L);
  }
}
