package io.memoscope.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.trainer.heads.ModelState;
import io.memoscope.trainer.heads.ModelState.NetworkState;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingPosition;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointStoreTest {

  @TempDir Path run;

  private static ModelState state(float value) {
    NetworkState graph =
        new NetworkState(
            Nd4j.createFromArray(value, value + 1), Nd4j.createFromArray(value * 2), 7, 1);
    NetworkState head = new NetworkState(Nd4j.createFromArray(value + 3), null, 7, 1);
    return new ModelState(
        graph, List.of(head), new ModelState.RandomState((long) value * 7, (long) value * 13));
  }

  @Test
  void readsBackWhatItWroteAndKeepsOnlyTheNewest() {
    CheckpointStore store = new CheckpointStore(run, 2);
    store.write(new TrainingPosition(1, 3, 3, new EpochTally(3 * 8, 3 * 31)), 10, state(1));
    store.write(new TrainingPosition(1, 6, 6, new EpochTally(6 * 8, 6 * 31)), 20, state(2));
    store.write(new TrainingPosition(2, 0, 9, EpochTally.EMPTY), 30, state(3));

    assertThat(store.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("step-000000000006.ckpt", "step-000000000009.ckpt");
    CheckpointStore.Checkpoint newest = store.newestValid().orElseThrow();
    assertThat(newest.position()).isEqualTo(new TrainingPosition(2, 0, 9, EpochTally.EMPTY));
    assertThat(newest.nextEventSequence()).isEqualTo(30);
    assertThat(newest.state().graph().params().toFloatVector()).containsExactly(3f, 4f);
    assertThat(newest.state().graph().updater().toFloatVector()).containsExactly(6f);
    assertThat(newest.state().heads().get(0).updater()).isNull();
    assertThat(newest.state().graph().iterations()).isEqualTo(7);
    assertThat(newest.state().random()).isEqualTo(new ModelState.RandomState(21, 39));
  }

  @Test
  void aCorruptOrTruncatedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
    CheckpointStore store = new CheckpointStore(run, 3);
    store.write(new TrainingPosition(1, 3, 3, new EpochTally(3 * 8, 3 * 31)), 10, state(1));
    Path newest =
        store.write(new TrainingPosition(1, 6, 6, new EpochTally(6 * 8, 6 * 31)), 20, state(2));

    try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
      file.seek(40);
      int b = file.read();
      file.seek(40);
      file.write(b ^ 0xff);
    }
    assertThat(store.newestValid().orElseThrow().position().step()).isEqualTo(3);

    Files.write(newest, new byte[10]);
    assertThat(store.newestValid().orElseThrow().position().step()).isEqualTo(3);
  }

  @Test
  void noCheckpointYetIsEmpty() {
    assertThat(new CheckpointStore(run, 1).newestValid()).isEmpty();
  }
}
