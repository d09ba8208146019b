package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.kafka.AccessFailures;
import io.memoscope.protocol.serde.DatasetInfoDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** A data set's latest {@link DatasetInfo}, read from {@code memoscope.datasets}. */
final class DatasetInfos {

  private DatasetInfos() {}

  static DatasetInfo latest(
      Map<String, Object> clientConfig, Admin admin, String dataset, Duration timeout) {
    DatasetInfoDeserializer deserializer = new DatasetInfoDeserializer();
    byte[] key = dataset.getBytes(StandardCharsets.UTF_8);
    DatasetInfo[] latest = {null};
    List<TopicRange> ranges;
    try {
      ranges = RunManifests.ranges(admin, Topics.DATASETS, timeout);
    } catch (IllegalStateException e) {
      if (e.getCause() != null
          && e.getCause().getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(
            "no data set '" + dataset + "': " + Topics.DATASETS + " is missing (ingest it first)",
            e);
      }
      String where =
          "cannot read " + Topics.DATASETS + " at " + clientConfig.get("bootstrap.servers");
      throw new IllegalStateException(
          AccessFailures.describeCause(e)
              .map(refused -> where + ": " + refused)
              .orElse(
                  where
                      + ": "
                      + e.getMessage()
                      + " (is the cluster reachable with these settings? a longer --timeout?)"),
          e);
    }
    new RangeReader(clientConfig, ranges, Duration.ofMillis(200))
        .read(
            record -> {
              if (Arrays.equals(record.key(), key)) {
                latest[0] = deserializer.deserialize(Topics.DATASETS, record.value());
              }
            },
            () -> false);
    if (latest[0] == null) {
      throw new IllegalStateException(
          "no data set '"
              + dataset
              + "' in "
              + Topics.DATASETS
              + " (ingest it first: memoscope ingest --dataset "
              + dataset
              + " …)");
    }
    return latest[0];
  }
}
