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
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
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
    KafkaCalls.await(admin.describeTopics(topics).allTopicNames(), timeout, "describing " + topics)
        .values()
        .forEach(
            description ->
                description
                    .partitions()
                    .forEach(
                        p ->
                            request.put(
                                new TopicPartition(description.name(), p.partition()),
                                OffsetSpec.latest())));
    return new PartitionOffsets(latest(admin, request, IsolationLevel.READ_UNCOMMITTED, timeout));
  }

  /**
   * Waits until the commit markers are written (the markers follow the commit asynchronously), then
   * requires every partition to have moved by exactly what the callbacks acknowledged. Each poll
   * asks for the last stable and the end offsets at once, so the common case, markers already
   * written, takes one round trip.
   */
  void verifyCommitted(Admin admin, SentRecords sent, Duration timeout) {
    Map<TopicPartition, Long> expected = new HashMap<>();
    endOffsets.forEach(
        (partition, before) -> {
          long records = sent.acknowledged(partition);
          expected.put(partition, before + records + (records > 0 ? 1 : 0));
        });
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    endOffsets.keySet().forEach(p -> request.put(p, OffsetSpec.latest()));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> stableFuture =
          admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all();
      KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> endFuture =
          admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all();
      Map<TopicPartition, Long> stable =
          offsets(KafkaCalls.await(stableFuture, timeout, "listing offsets"));
      Map<TopicPartition, Long> end =
          offsets(KafkaCalls.await(endFuture, timeout, "listing offsets"));
      if (expected.entrySet().stream().allMatch(e -> stable.get(e.getKey()) >= e.getValue())) {
        // All markers are written; the end offsets, asked for no earlier, include them.
        if (!end.equals(expected)) {
          // Asked together, the end offsets may predate the last marker: ask again, now they
          // cannot.
          end = latest(admin, request, IsolationLevel.READ_UNCOMMITTED, timeout);
        }
        if (!end.equals(expected)) {
          throw mismatch(
              "committed, but the partitions do not hold exactly what was sent", expected, end);
        }
        return;
      }
      if (System.nanoTime() > deadline) {
        throw mismatch("committed, but the commit markers did not all appear", expected, stable);
      }
      // The markers usually follow the commit within a few milliseconds.
      KafkaCalls.pause("verifying the commit", 1);
    }
  }

  private static IngestException mismatch(
      String what, Map<TopicPartition, Long> expected, Map<TopicPartition, Long> found) {
    return new IngestException(
        what
            + ": expected end offsets "
            + expected
            + ", found "
            + found
            + " (another writer on these topics?)");
  }

  private static Map<TopicPartition, Long> latest(
      Admin admin,
      Map<TopicPartition, OffsetSpec> request,
      IsolationLevel isolation,
      Duration timeout) {
    return offsets(
        KafkaCalls.await(
            admin.listOffsets(request, new ListOffsetsOptions(isolation)).all(),
            timeout,
            "listing offsets"));
  }

  private static Map<TopicPartition, Long> offsets(
      Map<TopicPartition, ListOffsetsResultInfo> infos) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }
}
