package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.EventKind;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.train.TrainingListener;
import io.memoscope.trainer.train.TrainingPosition;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a checkpoint when one is due, with the sequence number the run's next event gets (so a
 * resume re-emits no event twice under different numbers), and publishes a CHECKPOINT event naming
 * its file.
 */
final class CheckpointEvents implements TrainingListener {

  private final CheckpointStore store;
  private final EventPublisher events;

  CheckpointEvents(CheckpointStore store, EventPublisher events) {
    this.store = store;
    this.events = events;
  }

  @Override
  public void onCheckpointDue(TrainingPosition next, MultiHeadModel model) {
    Path file = store.write(next, events.nextSequence(), model.snapshot());
    events.publish(
        EventKind.CHECKPOINT, next.step(), Map.of(), Map.of(), file.getFileName().toString());
  }
}
