package io.memoscope.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a directory for a KRaft node the first time, and reads back its cluster id every time
 * after (reformatting would throw away the cluster's metadata and so its topics).
 */
final class KraftStorage {

  private static final Logger log = LoggerFactory.getLogger(KraftStorage.class);

  private KraftStorage() {}

  /**
   * @return the cluster id the directory belongs to
   */
  static String formatOrReuse(Path dir, int nodeId, String controllerListenerName) {
    return formatOrReuse(dir, nodeId, controllerListenerName, Uuid.randomUuid().toString());
  }

  /**
   * As {@link #formatOrReuse(Path, int, String)}, formatting an empty directory for the cluster
   * {@code clusterIdIfNew} (every node of a cluster is formatted with the same id).
   */
  static String formatOrReuse(
      Path dir, int nodeId, String controllerListenerName, String clusterIdIfNew) {
    String path = dir.toString();
    MetaPropertiesEnsemble ensemble = load(path);
    if (!ensemble.errorLogDirs().isEmpty()) {
      throw new EmbeddedKafkaException("Cannot read the Kafka data directory " + path);
    }
    if (ensemble.emptyLogDirs().contains(path)) {
      return format(path, nodeId, controllerListenerName, clusterIdIfNew);
    }
    if (ensemble.nodeId().isPresent() && ensemble.nodeId().getAsInt() != nodeId) {
      throw new EmbeddedKafkaException(
          "The Kafka data directory "
              + path
              + " belongs to node "
              + ensemble.nodeId().getAsInt()
              + ", not to the embedded broker's node "
              + nodeId);
    }
    String clusterId =
        ensemble
            .clusterId()
            .orElseThrow(
                () ->
                    new EmbeddedKafkaException(
                        "The Kafka data directory "
                            + path
                            + " has a meta.properties without cluster id"));
    log.debug("Reusing Kafka data directory {} of cluster {}", path, clusterId);
    return clusterId;
  }

  private static MetaPropertiesEnsemble load(String path) {
    try {
      return new MetaPropertiesEnsemble.Loader()
          .addLogDirs(List.of(path))
          .addMetadataLogDir(path)
          .load();
    } catch (IOException e) {
      throw new EmbeddedKafkaException("Cannot read the Kafka data directory " + path, e);
    }
  }

  private static String format(
      String path, int nodeId, String controllerListenerName, String clusterId) {
    // The formatter reports on a PrintStream (System.out by default); keep it for the debug log.
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(out)
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setDirectories(List.of(path))
          .setMetadataLogDirectory(path)
          .setControllerListenerName(controllerListenerName)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new EmbeddedKafkaException(
          "Cannot format the Kafka data directory " + path + ": " + e.getMessage(), e);
    }
    log.debug(
        "Formatted {} for cluster {}: {}",
        path,
        clusterId,
        report.toString(StandardCharsets.UTF_8).strip());
    return clusterId;
  }
}
