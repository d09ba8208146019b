package io.memoscope.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.Split;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSpecsTest {

  private static final Map<String, String> KEPT_FOREVER =
      Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1");

  @Test
  void theTopicsRunsAreReplayedFromKeepEveryRecordForever() {
    for (TopicSpec spec :
        List.of(
            TopicSpecs.samples("fashion", Split.train, 3),
            TopicSpecs.events(),
            TopicSpecs.deadLetter("samples.fashion.test"))) {
      assertThat(spec.configs(TopicSettings.DEFAULTS)).as(spec.name()).isEqualTo(KEPT_FOREVER);
    }
    assertThat(TopicSpecs.samples("fashion", Split.train, 3).partitions()).isEqualTo(3);
    assertThat(TopicSpecs.deadLetter("samples.fashion.test").name())
        .isEqualTo("samples.fashion.test.dlq");
  }

  @Test
  void theRegistriesAreCompactedAndNeverDeletedByAge() {
    for (TopicSpec spec : List.of(TopicSpecs.runs(), TopicSpecs.datasets())) {
      assertThat(spec.configs(TopicSettings.DEFAULTS))
          .as(spec.name())
          .isEqualTo(Map.of("cleanup.policy", "compact"));
      assertThat(spec.partitions()).isEqualTo(1);
    }
  }

  @Test
  void replicationComesFromTheClusterUnlessGivenAndThreeReplicasNeedTwoInSync() {
    NewTopic byCluster = TopicSpecs.events().newTopic(TopicSettings.DEFAULTS);
    NewTopic three =
        TopicSpecs.events().newTopic(TopicSettings.DEFAULTS.withReplicationFactor((short) 3));
    NewTopic two =
        TopicSpecs.runs().newTopic(TopicSettings.DEFAULTS.withReplicationFactor((short) 2));

    assertThat(byCluster.replicationFactor()).isEqualTo((short) -1);
    assertThat(byCluster.configs()).doesNotContainKey("min.insync.replicas");
    assertThat(three.replicationFactor()).isEqualTo((short) 3);
    assertThat(three.configs()).containsEntry("min.insync.replicas", "2");
    assertThat(two.configs()).doesNotContainKey("min.insync.replicas");
  }

  @Test
  void aConfiguredRetentionAppliesToKeptTopicsOnly() {
    TopicSettings week = TopicSettings.DEFAULTS.withRetention(Duration.ofDays(7));

    assertThat(TopicSpecs.events().configs(week)).containsEntry("retention.ms", "604800000");
    assertThat(TopicSpecs.runs().configs(week)).doesNotContainKey("retention.ms");
  }

  @Test
  void anExistingTopicThatDeletesReplayableRecordsIsNamedWithWhatItCosts() {
    Config weekOld =
        config(
            Map.of(
                "cleanup.policy", "delete", "retention.ms", "604800000", "retention.bytes", "-1"));

    assertThat(TopicSpecs.events().contradictions(weekOld, TopicSettings.DEFAULTS))
        .containsExactly(
            "memoscope.events has retention.ms=604800000, not -1: records older than that are deleted"
                + " and runs trained on them can no longer be replayed");
    assertThat(
            TopicSpecs.events()
                .contradictions(weekOld, TopicSettings.DEFAULTS.withRetention(Duration.ofDays(7))))
        .isEmpty();
    assertThat(
            TopicSpecs.samples("d", Split.train, 1)
                .contradictions(config(KEPT_FOREVER), TopicSettings.DEFAULTS))
        .isEmpty();
  }

  @Test
  void aRegistryThatIsNotCompactedOrDeletesByAgeIsNamed() {
    assertThat(
            TopicSpecs.runs()
                .contradictions(config(Map.of("cleanup.policy", "delete")), TopicSettings.DEFAULTS))
        .hasSize(2)
        .allMatch(line -> line.startsWith("memoscope.runs has cleanup.policy=delete"));
    assertThat(
            TopicSpecs.datasets()
                .contradictions(
                    config(Map.of("cleanup.policy", "compact")), TopicSettings.DEFAULTS))
        .isEmpty();
  }

  @Test
  void aCompactedEventsOrSampleTopicIsRefusedAndACompactedRegistryIsNot() {
    Config compacted = config(Map.of("cleanup.policy", "compact", "retention.ms", "-1"));

    assertThat(TopicSpecs.events().breaksReplay(compacted))
        .hasValue(
            "memoscope.events has cleanup.policy=compact:"
                + " compaction keeps one record per key, and runs are replayed from every record; memoscope does not use it"
                + " (set cleanup.policy=delete)");
    assertThat(
            TopicSpecs.samples("d", Split.test, 1)
                .breaksReplay(config(Map.of("cleanup.policy", "compact,delete"))))
        .isPresent();
    assertThat(TopicSpecs.runs().breaksReplay(compacted)).isEmpty();
    assertThat(TopicSpecs.events().breaksReplay(config(KEPT_FOREVER))).isEmpty();
  }

  @Test
  void settingsRejectWhatKafkaWouldNot() {
    assertThatThrownBy(() -> new TopicSettings(Optional.of((short) 0), Optional.empty()))
        .hasMessage("replication factor must be at least 1, not 0");
    assertThatThrownBy(() -> new TopicSettings(Optional.empty(), Optional.of(Duration.ZERO)))
        .hasMessage("retention must be positive, not PT0S");
  }

  private static Config config(Map<String, String> values) {
    return new Config(
        values.entrySet().stream().map(e -> new ConfigEntry(e.getKey(), e.getValue())).toList());
  }
}
