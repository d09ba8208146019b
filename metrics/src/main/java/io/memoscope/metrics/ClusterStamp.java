package io.memoscope.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Which cluster a state directory was written for: a small file beside Kafka Streams' own directory
 * for the application id ({@code <state-dir>/<application-id>.cluster-id}).
 *
 * <p>Kafka Streams trusts the offsets it checkpointed there. After the broker was replaced by a
 * fresh one (new cluster id, empty topics) they point beyond the topics' ends, and the global
 * tables fail on them; the recorded cluster id lets the service notice before it starts. The file
 * is beside, not inside, Kafka Streams' directory, so that its {@code cleanUp()} leaves it alone.
 */
final class ClusterStamp {

  private final Path stateDir;
  private final Path file;

  ClusterStamp(Path stateDir, String applicationId) {
    this.stateDir = stateDir;
    this.file = stateDir.resolve(applicationId + ".cluster-id");
  }

  /**
   * Why the state directory does not belong to {@code clusterId}, if it was written for another
   * cluster; empty when it was written for this one or has no record (fresh, or older than the
   * stamp).
   */
  Optional<String> mismatch(String clusterId) {
    return recorded()
        .filter(recorded -> !recorded.equals(clusterId))
        .map(
            recorded ->
                "state directory "
                    + stateDir.toAbsolutePath()
                    + " was written for another cluster (id "
                    + recorded
                    + ", now "
                    + clusterId
                    + ")");
  }

  /** Records {@code clusterId} as the cluster the state directory is written for from now on. */
  void record(String clusterId) {
    try {
      Files.createDirectories(stateDir);
      // Written whole, then renamed: a crash never leaves half an id to compare against.
      Path partial = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(partial, clusterId + "\n", StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot record the cluster id in " + file + ": " + e.getMessage(), e);
    }
  }

  private Optional<String> recorded() {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the cluster id recorded in " + file + ": " + e.getMessage(), e);
    }
  }
}
