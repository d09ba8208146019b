package io.memoscope.ingest;

import io.memoscope.ingest.IngestConfig.ExistingData;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSpec;
import io.memoscope.protocol.kafka.TopicSpecs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a data set's topics ready to receive an ingest: creates what is missing (waiting for every
 * partition's leader, so no record is lost to KAFKA-15591), and applies the rule for data already
 * there: refuse, append after it, or recreate.
 */
final class SampleTopics {

  private static final Logger log = LoggerFactory.getLogger(SampleTopics.class);

  private final Admin admin;
  private final TopicScanner scanner;
  private final IngestConfig config;

  SampleTopics(Admin admin, TopicScanner scanner, IngestConfig config) {
    this.admin = admin;
    this.scanner = scanner;
    this.config = config;
  }

  /**
   * @return the committed records already in each split's topic (where new indices start)
   */
  Map<Split, Long> prepare() {
    ensure();
    Map<Split, Long> counts = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      String topic = Topics.samples(config.dataset(), split);
      long count = scanner.count(topic);
      if (count > 0 && config.existing() == ExistingData.REFUSE) {
        throw new IngestException(
            String.format(
                "%s already holds %,d records: pass --append to add the new samples after them, or --recreate to replace them",
                topic, count));
      }
      counts.put(split, count);
    }
    return counts;
  }

  /**
   * Creates whatever is missing of the data set's topics (after deleting its sample topics when
   * told to recreate them), and looks at nothing they hold.
   */
  CreatedTopics ensure() {
    Set<String> existing = topicNames();
    if (config.existing() == ExistingData.RECREATE) {
      recreate(existing);
      existing = topicNames();
    }
    List<String> created = new ArrayList<>();
    List<String> found = new ArrayList<>();
    List<TopicSpec> specs = new ArrayList<>();
    for (Split split : Split.values()) {
      specs.add(TopicSpecs.samples(config.dataset(), split, config.partitions()));
    }
    specs.add(TopicSpecs.datasets());
    for (TopicSpec spec : specs) {
      create(spec);
      (existing.contains(spec.name()) ? found : created).add(spec.name());
    }
    return new CreatedTopics(config.dataset(), created, found);
  }

  private void recreate(Set<String> existing) {
    List<String> doomed =
        Arrays.stream(Split.values())
            .map(split -> Topics.samples(config.dataset(), split))
            .filter(existing::contains)
            .toList();
    if (doomed.isEmpty()) {
      return;
    }
    log.info("deleting {} to recreate them", doomed);
    KafkaCalls.await(admin.deleteTopics(doomed).all(), config.timeout(), "deleting " + doomed);
    long deadline = System.nanoTime() + config.timeout().toNanos();
    // Deletion completes asynchronously; creating the same name too early fails with TopicExists.
    while (topicNames().stream().anyMatch(doomed::contains)) {
      if (System.nanoTime() > deadline) {
        throw new IngestException(
            "deleting " + doomed + ": still there after " + config.timeout().toSeconds() + " s");
      }
      KafkaCalls.pause("waiting for " + doomed + " to be deleted");
    }
  }

  private void create(TopicSpec topic) {
    try {
      TopicAdmin.ensure(admin, topic, config.topics(), config.timeout());
    } catch (RuntimeException e) {
      throw new IngestException("creating " + topic.name() + ": " + e.getMessage(), e);
    }
  }

  private Set<String> topicNames() {
    return KafkaCalls.await(admin.listTopics().names(), config.timeout(), "listing topics");
  }
}
