package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.trainer.config.TrainingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Captures what defines a run at its start: the exact committed offset range of every partition
 * of the data set's topics (records appended later are not part of it), the seeds, the whole
 * training config and the code version.
 */
public final class RunManifests {

  private RunManifests() {}

  public static RunManifest capture(Admin admin, String runId, String dataset, TrainingConfig config,
      String codeVersion, Duration timeout) {
    List<TopicRange> ranges = new ArrayList<>();
    for (Split split : Split.values()) {
      ranges.addAll(ranges(admin, Topics.samples(dataset, split), timeout));
    }
    return RunManifest.newBuilder()
        .setRunId(runId)
        .setDataset(dataset)
        .setTopics(ranges)
        .setSeeds(Map.of("seed", config.seed()))
        .setConfig(new HashMap<>(config.toFlatMap()))
        .setCodeVersion(codeVersion)
        .setCreatedAt(Instant.now())
        .build();
  }

  /** The ranges of one topic, in partition order. */
  /**
   * The training settings a manifest recorded, as dotted keys. A manifest written before
   * {@code heads.readout} existed trained with the pooled readout (the default became {@code equal}
   * later), so it reads back as {@code pooled} and a resume, replay or probe reads its taps as the
   * run did.
   */
  public static Map<String, String> recordedConfig(RunManifest manifest) {
    Map<String, String> config = new TreeMap<>(manifest.getConfig());
    config.putIfAbsent("heads.readout", "pooled");
    return config;
  }

  /**
   * Checks that every record of the manifest's ranges is still in its topic, for a run that is
   * resumed or replayed: a retention, a {@code deleteRecords} or a recreated topic would make the
   * run train on other data than it recorded.
   *
   * @throws IllegalStateException naming the first partition whose records are gone
   */
  public static void requireStored(Admin admin, RunManifest manifest, Duration timeout) {
    Map<String, List<TopicRange>> byTopic = new TreeMap<>();
    manifest.getTopics().forEach(range -> byTopic.computeIfAbsent(range.getTopic(), t -> new ArrayList<>()).add(range));
    byTopic.forEach((topic, recorded) -> {
      Map<Integer, TopicRange> now = new HashMap<>();
      ranges(admin, topic, timeout).forEach(range -> now.put(range.getPartition(), range));
      for (TopicRange range : recorded) {
        TopicRange stored = now.get(range.getPartition());
        if (range.getStartOffset() == range.getEndOffset()) {
          continue;
        }
        if (stored == null || stored.getStartOffset() > range.getStartOffset() || stored.getEndOffset() < range.getEndOffset()) {
          throw new IllegalStateException(topic + "-" + range.getPartition() + ": run " + manifest.getRunId()
              + " trained on offsets " + range.getStartOffset() + " to " + range.getEndOffset() + ", but the partition now holds "
              + (stored == null ? "nothing" : "offsets " + stored.getStartOffset() + " to " + stored.getEndOffset())
              + " (deleted by a retention or recreated): the run cannot be trained again on the same data");
        }
      }
    });
  }

  public static List<TopicRange> rangesOf(RunManifest manifest, String topic) {
    return manifest.getTopics().stream().filter(r -> r.getTopic().equals(topic))
        .sorted(Comparator.comparingInt(TopicRange::getPartition)).toList();
  }

  static List<TopicRange> ranges(Admin admin, String topic, Duration timeout) {
    try {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      description.partitions().forEach(p -> {
        earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
        latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
      });
      ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      var starts = admin.listOffsets(earliest, committed).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      var ends = admin.listOffsets(latest, committed).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<TopicRange> ranges = new ArrayList<>();
      for (TopicPartition partition : earliest.keySet()) {
        ranges.add(new TopicRange(topic, partition.partition(), starts.get(partition).offset(),
            ends.get(partition).offset()));
      }
      ranges.sort(Comparator.comparingInt(TopicRange::getPartition));
      return ranges;
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading the offsets of " + topic + ": " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("reading the offsets of " + topic + ": no answer within " + timeout.toSeconds()
          + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
