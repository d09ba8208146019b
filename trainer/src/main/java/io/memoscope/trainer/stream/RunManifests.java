package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.kafka.KafkaFutures;
import io.memoscope.trainer.config.TrainingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds, reads and checks run manifests: what defines a run at its start, namely the exact
 * committed offset range of every partition of the data set's topics (records appended later are
 * not part of it), the seeds, the whole training config, the code version and the environment.
 */
public final class RunManifests {

  private RunManifests() {}

  /**
   * A new run's manifest: the committed range of every partition of the data set's topics now.
   *
   * @param environment where the run runs ({@link
   *     io.memoscope.trainer.runtime.RunEnvironment#current})
   */
  public static RunManifest capture(
      Admin admin,
      String runId,
      String dataset,
      TrainingConfig config,
      String codeVersion,
      Map<String, String> environment,
      Duration timeout) {
    List<TopicRange> ranges = new ArrayList<>();
    for (Split split : Split.values()) {
      ranges.addAll(ranges(admin, Topics.samples(dataset, split), timeout));
    }
    return build(runId, dataset, ranges, config, codeVersion, environment);
  }

  /**
   * A replay's manifest: the original's data set and record ranges, with the replay's own id,
   * config, code version and environment.
   */
  public static RunManifest replaying(
      RunManifest original,
      String runId,
      TrainingConfig config,
      String codeVersion,
      Map<String, String> environment) {
    return build(
        runId, original.getDataset(), original.getTopics(), config, codeVersion, environment);
  }

  private static RunManifest build(
      String runId,
      String dataset,
      List<TopicRange> ranges,
      TrainingConfig config,
      String codeVersion,
      Map<String, String> environment) {
    return RunManifest.newBuilder()
        .setRunId(runId)
        .setDataset(dataset)
        .setTopics(new ArrayList<>(ranges))
        .setSeeds(Map.of("seed", config.seed()))
        .setConfig(new HashMap<>(config.toFlatMap()))
        .setCodeVersion(codeVersion)
        .setCreatedAt(Instant.now())
        .setEnvironment(new HashMap<>(environment))
        .build();
  }

  /** The ranges of one topic, in partition order. */
  /**
   * The training settings a manifest recorded, as dotted keys. A manifest written before {@code
   * heads.readout} existed trained with the pooled readout (the default became {@code equal}
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
    manifest
        .getTopics()
        .forEach(
            range -> byTopic.computeIfAbsent(range.getTopic(), t -> new ArrayList<>()).add(range));
    byTopic.forEach(
        (topic, recorded) -> {
          Map<Integer, TopicRange> now = new HashMap<>();
          ranges(admin, topic, timeout).forEach(range -> now.put(range.getPartition(), range));
          for (TopicRange range : recorded) {
            TopicRange stored = now.get(range.getPartition());
            if (range.getStartOffset() == range.getEndOffset()) {
              continue;
            }
            if (stored == null
                || stored.getStartOffset() > range.getStartOffset()
                || stored.getEndOffset() < range.getEndOffset()) {
              throw new IllegalStateException(
                  topic
                      + "-"
                      + range.getPartition()
                      + ": run "
                      + manifest.getRunId()
                      + " trained on offsets "
                      + range.getStartOffset()
                      + " to "
                      + range.getEndOffset()
                      + ", but the partition now holds "
                      + (stored == null
                          ? "nothing"
                          : "offsets " + stored.getStartOffset() + " to " + stored.getEndOffset())
                      + " (deleted by a retention or recreated): the run cannot be trained again on the same data");
            }
          }
        });
  }

  public static List<TopicRange> rangesOf(RunManifest manifest, String topic) {
    return manifest.getTopics().stream()
        .filter(r -> r.getTopic().equals(topic))
        .sorted(Comparator.comparingInt(TopicRange::getPartition))
        .toList();
  }

  static List<TopicRange> ranges(Admin admin, String topic, Duration timeout) {
    String what = "reading the offsets of " + topic;
    TopicDescription description =
        KafkaFutures.get(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, what)
            .get(topic);
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    description
        .partitions()
        .forEach(
            p -> {
              earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
              latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            });
    ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
    var starts = KafkaFutures.get(admin.listOffsets(earliest, committed).all(), timeout, what);
    var ends = KafkaFutures.get(admin.listOffsets(latest, committed).all(), timeout, what);
    List<TopicRange> ranges = new ArrayList<>();
    for (TopicPartition partition : earliest.keySet()) {
      ranges.add(
          new TopicRange(
              topic,
              partition.partition(),
              starts.get(partition).offset(),
              ends.get(partition).offset()));
    }
    ranges.sort(Comparator.comparingInt(TopicRange::getPartition));
    return ranges;
  }
}
