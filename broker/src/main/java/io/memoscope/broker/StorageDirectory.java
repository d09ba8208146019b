package io.memoscope.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.LoggerFactory;

/**
 * Where the broker keeps its logs and metadata: a persistent directory, or a temporary one that
 * {@link #releaseIfTemporary()} deletes.
 */
record StorageDirectory(Path path, boolean temporary) {

  static StorageDirectory prepare(Path dataDir, boolean persistent) {
    try {
      if (persistent) {
        return new StorageDirectory(Files.createDirectories(dataDir).toAbsolutePath(), false);
      }
      Path temp =
          dataDir == null
              ? Files.createTempDirectory("memoscope-kafka-")
              : Files.createTempDirectory(Files.createDirectories(dataDir), "memoscope-kafka-");
      return new StorageDirectory(temp.toAbsolutePath(), true);
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Cannot create the Kafka data directory"
              + (dataDir == null ? "" : " in " + dataDir)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  void releaseIfTemporary() {
    if (!temporary) {
      return;
    }
    try {
      Utils.delete(path.toFile());
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Cannot delete the temporary Kafka data directory " + path, e);
    }
  }

  /**
   * As {@link #releaseIfTemporary()}, logging instead of throwing: for clean-up after a failure.
   */
  void releaseQuietly() {
    try {
      releaseIfTemporary();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(StorageDirectory.class).warn("Could not delete {}", path, e);
    }
  }
}
