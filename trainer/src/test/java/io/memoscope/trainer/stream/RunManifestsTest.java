package io.memoscope.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.net.Readout;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run's recorded settings read back as the run trained, also from manifests older than a setting.
 */
class RunManifestsTest {

  @Test
  void aManifestFromBeforeTheEqualReadoutReadsBackAsPooled() {
    Map<String, String> old = new HashMap<>(TrainingConfig.defaults().toFlatMap());
    old.remove("heads.readout");

    assertThat(
            TrainingConfig.fromFlatMap(RunManifests.recordedConfig(manifest(old)))
                .heads()
                .readout())
        .isEqualTo(Readout.POOLED);
  }

  @Test
  void aRecordedReadoutIsKept() {
    Map<String, String> current = TrainingConfig.defaults().toFlatMap();

    assertThat(RunManifests.recordedConfig(manifest(current))).isEqualTo(current);
    assertThat(
            TrainingConfig.fromFlatMap(RunManifests.recordedConfig(manifest(current)))
                .heads()
                .readout())
        .isEqualTo(Readout.EQUAL);
  }

  private static RunManifest manifest(Map<String, String> config) {
    return RunManifest.newBuilder()
        .setRunId("r")
        .setDataset("d")
        .setTopics(List.of())
        .setSeeds(Map.of("seed", 42L))
        .setConfig(new HashMap<>(config))
        .setCodeVersion("test")
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
