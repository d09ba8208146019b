package io.memoscope.ingest;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * End offsets of an ingest's partitions before it starts, to check afterwards that each moved by
 * exactly what was acknowledged: the records plus one commit marker per partition written to.
 */
final class PartitionOffsets {

  private final Map<TopicPartition, Long> endOffsets;

  private PartitionOffsets(Map<TopicPartition, Long> endOffsets) {
    this.endOffsets = Map.copyOf(endOffsets);
  }

  static PartitionOffsets snapshot(Admin admin, String dataset, Duration timeout) {
    List<String> topics = new ArrayList<>();
    for (Split split : Split.values()) {
      topics.add(Topics.samples(dataset, split));
    }
    topics.add(Topics.DATASETS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    KafkaCalls.await(admin.describeTopics(topics).allTopicNames(), timeout, "describing " + topics).values()
        .forEach(description -> description.partitions().forEach(
            p -> request.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest())));
    return new PartitionOffsets(latest(admin, request, IsolationLevel.READ_UNCOMMITTED, timeout));
  }

  /**
   * Waits until the commit markers are written (the markers follow the commit asynchronously),
   * then requires every partition to have moved by exactly what the callbacks acknowledged.
   */
  void verifyCommitted(Admin admin, SentRecords sent, Duration timeout) {
    Map<TopicPartition, Long> expected = new HashMap<>();
    endOffsets.forEach((partition, before) -> {
      long records = sent.acknowledged(partition);
      expected.put(partition, before + records + (records > 0 ? 1 : 0));
    });
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    endOffsets.keySet().forEach(p -> request.put(p, OffsetSpec.latest()));
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> stable = latest(admin, request, IsolationLevel.READ_COMMITTED, timeout);
    while (expected.entrySet().stream().anyMatch(e -> stable.get(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw mismatch("committed, but the commit markers did not all appear", expected, stable);
      }
      KafkaCalls.pause("verifying the commit");
      stable.putAll(latest(admin, request, IsolationLevel.READ_COMMITTED, timeout));
    }
    Map<TopicPartition, Long> end = latest(admin, request, IsolationLevel.READ_UNCOMMITTED, timeout);
    if (!end.equals(expected)) {
      throw mismatch("committed, but the partitions do not hold exactly what was sent", expected, end);
    }
  }

  private static IngestException mismatch(String what, Map<TopicPartition, Long> expected,
      Map<TopicPartition, Long> found) {
    return new IngestException(what + ": expected end offsets " + expected + ", found " + found
        + " (another writer on these topics?)");
  }

  private static Map<TopicPartition, Long> latest(Admin admin, Map<TopicPartition, OffsetSpec> request,
      IsolationLevel isolation, Duration timeout) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    KafkaCalls.await(admin.listOffsets(request, new ListOffsetsOptions(isolation)).all(), timeout, "listing offsets")
        .forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

}
