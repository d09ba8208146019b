package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster id recorded beside the state directory, and what a different one means. */
class ClusterStampTest {

  @TempDir Path stateDir;

  @Test
  void aStateDirectoryWithoutARecordMatchesAnyCluster() {
    assertThat(new ClusterStamp(stateDir.resolve("fresh"), "app").mismatch("cluster-a")).isEmpty();
  }

  @Test
  void theRecordedClusterMatchesAndAnotherOneIsNamed() {
    ClusterStamp stamp = new ClusterStamp(stateDir, "app");
    stamp.record("cluster-a");
    assertThat(stamp.mismatch("cluster-a")).isEmpty();
    assertThat(new ClusterStamp(stateDir, "app").mismatch("cluster-b"))
        .hasValue(
            "state directory "
                + stateDir.toAbsolutePath()
                + " was written for another cluster (id cluster-a, now cluster-b)");
    // per application id: another one's state in the same directory is not this one's
    assertThat(new ClusterStamp(stateDir, "other-app").mismatch("cluster-b")).isEmpty();
  }

  @Test
  void recordingAgainReplacesTheRecord() {
    ClusterStamp stamp = new ClusterStamp(stateDir, "app");
    stamp.record("cluster-a");
    stamp.record("cluster-b");
    assertThat(stamp.mismatch("cluster-b")).isEmpty();
    assertThat(stateDir.resolve("app.cluster-id")).hasContent("cluster-b");
  }
}
