package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpec;
import io.memoscope.protocol.kafka.TopicSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * The topics a run writes to: {@code memoscope.runs}, {@code memoscope.events}, {@code
 * memoscope.evaluations} and its data set's dead-letter topics. Created from their specs if missing
 * (and waited for: no event is lost to KAFKA-15591); existing ones are checked against the specs. A
 * cluster that manages its topics itself simply has them already.
 */
final class RunTopics {

  private RunTopics() {}

  static void ensure(Admin admin, String dataset, TopicSettings settings, Duration timeout) {
    List<TopicSpec> topics =
        new ArrayList<>(List.of(TopicSpecs.runs(), TopicSpecs.events(), TopicSpecs.evaluations()));
    for (Split split : Split.values()) {
      topics.add(TopicSpecs.deadLetter(Topics.samples(dataset, split)));
    }
    for (TopicSpec topic : topics) {
      TopicAdmin.ensure(admin, topic, settings, timeout);
    }
  }
}
