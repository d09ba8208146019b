package io.memoscope.trainer.stream;

import static io.memoscope.trainer.stream.TinyStreamedDataset.TIMEOUT;
import static io.memoscope.trainer.stream.TinyStreamedDataset.eventRecords;
import static io.memoscope.trainer.stream.TinyStreamedDataset.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.offset;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.HeadStepMetrics;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.metrics.Proportion;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.train.EpochTally;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link EventPublisher} on a real broker: a run's events reach {@code memoscope.events} keyed by
 * its run id and numbered 0, 1, 2, … (a resumed run continuing from its checkpoint's number), in
 * the shapes docs/schema.md lists: one event for the run and one per head for a step or an
 * evaluation, the heads' labels, the estimates with their interval bounds; and close() leaves none
 * behind. Each test has a run id of its own on the shared topic.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EventPublisherTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final HeadStepMetrics PENULTIMATE =
      new HeadStepMetrics("penultimate/0", 2.25, 0.125, 0.5, 0.375);
  private static final HeadStepMetrics BLOCK2 = new HeadStepMetrics("block2/1", 2.5, 0.25, 0, 0.25);

  @BeforeAll
  static void createTheEventsTopic() {
    try (Admin admin = Admin.create(client())) {
      TopicAdmin.ensure(admin, TopicSpecs.events(), TopicSettings.DEFAULTS, TIMEOUT);
    }
  }

  @Test
  void aRunsEventsAreKeyedByItsIdAndNumberedFromZeroInTheOrderPublished() {
    try (EventPublisher events = new EventPublisher(client(), "numbered", 0, 1)) {
      events.describing(Map.of("epochs", 2.0, "samples_per_epoch", 64.0), () -> 0);
      events.onStart("test backend", 8);
      events.onStep(step(4, 1, List.of(PENULTIMATE)));
      events.onEpochEnd(1, 4, EpochTally.ofRange(64));
      events.onStep(step(8, 2, List.of(PENULTIMATE)));
      assertThat(events.nextSequence()).isEqualTo(6);
    }

    TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
    List<TrainingEvent> published =
        eventRecords(client()).stream()
            .filter(record -> new String(record.key(), StandardCharsets.UTF_8).equals("numbered"))
            .map(record -> deserializer.deserialize(Topics.EVENTS, record.value()))
            .toList();
    assertThat(published).extracting(TrainingEvent::getRunId).containsOnly("numbered");
    assertThat(published)
        .extracting(TrainingEvent::getSequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(published)
        .extracting(TrainingEvent::getKind)
        .containsExactly(
            EventKind.RUN_STARTED,
            EventKind.STEP,
            EventKind.STEP,
            EventKind.EPOCH,
            EventKind.STEP,
            EventKind.STEP);
    assertThat(published)
        .extracting(TrainingEvent::getStep)
        .containsExactly(0L, 4L, 4L, 4L, 8L, 8L);
    assertThat(published)
        .extracting(TrainingEvent::getEpoch)
        .as("the epoch after the epoch's end")
        .containsExactly(1, 1, 1, 1, 2, 2);

    TrainingEvent started = published.get(0);
    assertThat(started.getMessage()).isEqualTo("test backend");
    assertThat(started.getMetrics())
        .containsOnly(
            entry("total_steps", 8.0), entry("epochs", 2.0), entry("samples_per_epoch", 64.0));
    TrainingEvent epochEnd = published.get(3);
    assertThat(epochEnd.getMetrics()).containsOnly(entry("samples", 64.0));
    assertThat(epochEnd.getLabels())
        .containsOnly(entry("sample_digest", EpochTally.ofRange(64).digestHex()));
  }

  @Test
  void aResumedRunContinuesFromTheSequenceItsCheckpointRecorded() {
    long next;
    try (EventPublisher first = new EventPublisher(client(), "resumed", 0, 1);
        EventPublisher other = new EventPublisher(client(), "another-run", 0, 1)) {
      first.onStart("test backend", 8);
      other.onStart("test backend", 8);
      first.onStep(step(4, 1, List.of(PENULTIMATE)));
      other.onStep(step(4, 1, List.of()));
      next = first.nextSequence();
    }
    try (EventPublisher resumed = new EventPublisher(client(), "resumed", next, 2)) {
      resumed.publish(
          EventKind.RESUME, 4, Map.of("epoch", 2.0, "batches_done", 0.0), Map.of(), "resumed");
      resumed.onStep(step(8, 2, List.of(PENULTIMATE)));
    }

    List<TrainingEvent> published = events(client(), "resumed");
    assertThat(next).isEqualTo(3);
    assertThat(published)
        .extracting(TrainingEvent::getSequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(published.subList(3, 6))
        .as("the resumed part")
        .allSatisfy(event -> assertThat(event.getEpoch()).isEqualTo(2));
    assertThat(events(client(), "another-run"))
        .as("numbered on its own")
        .extracting(TrainingEvent::getSequence)
        .containsExactly(0L, 1L);
  }

  @Test
  void aStepIsOneEventForTheRunAndOnePerHeadLabelledWithTheHead() {
    try (EventPublisher events = new EventPublisher(client(), "stepping", 0, 1)) {
      events.describing(Map.of(), () -> 17);
      events.onStep(
          new StepMetrics(12, 1, 640, 0.75, 0.625, List.of(PENULTIMATE, BLOCK2), 0.05, 2.0));
    }

    List<TrainingEvent> published = events(client(), "stepping");
    assertThat(published)
        .hasSize(3)
        .allSatisfy(
            event -> {
              assertThat(event.getKind()).isEqualTo(EventKind.STEP);
              assertThat(event.getStep()).isEqualTo(12);
            });
    assertThat(published.get(0).getLabels()).isEmpty();
    assertThat(published.get(0).getMetrics())
        .containsOnly(
            entry("loss_class", 0.75),
            entry("accuracy_train_running", 0.625),
            entry("samples", 640.0),
            entry("learning_rate", 0.05),
            entry("samples_per_second", 320.0),
            entry("consumer_lag", 17.0),
            entry(EventMetricNames.PUBLISH_FAILURES, 0.0));
    assertThat(published.get(1).getLabels())
        .containsOnly(
            entry("head", "penultimate/0"), entry("tap", "penultimate"), entry("labeling", "0"));
    assertThat(published.get(1).getMetrics())
        .containsOnly(
            entry("loss_random", 2.25),
            entry("loss_regularizer", 0.125),
            entry("lambda", 0.5),
            entry("random_label_accuracy_running", 0.375));
    assertThat(published.get(2).getLabels())
        .containsOnly(entry("head", "block2/1"), entry("tap", "block2"), entry("labeling", "1"));
    assertThat(published.get(2).getMetrics())
        .containsEntry("loss_random", 2.5)
        .containsEntry("lambda", 0.0);
  }

  @Test
  void currentStepIsTheLatestStepPublished() {
    try (EventPublisher events = new EventPublisher(client(), "current", 0, 1)) {
      events.publish(
          EventKind.DEAD_LETTER,
          EventPublisher.CURRENT_STEP,
          Map.of("dead_letters", 1.0),
          Map.of(),
          "early");
      events.onStep(step(5, 1, List.of()));
      events.onStep(step(7, 1, List.of()));
      events.publish(
          EventKind.BROKER_WAIT,
          EventPublisher.CURRENT_STEP,
          Map.of("attempt", 1.0),
          Map.of("state", "waiting"),
          "reading");
      events.publish(EventKind.PROBE, 3, Map.of(), Map.of(), "a probe of an older checkpoint");
      events.publish(
          EventKind.DEAD_LETTER,
          EventPublisher.CURRENT_STEP,
          Map.of("dead_letters", 2.0),
          Map.of(),
          "late");
    }

    assertThat(events(client(), "current"))
        .extracting(TrainingEvent::getStep)
        .containsExactly(0L, 5L, 7L, 7L, 3L, 7L);
  }

  @Test
  void anEvaluationCarriesEachHeadsEstimatesWithTheirBounds() {
    HeadEvaluation head =
        new HeadEvaluation("penultimate/0", 10, new Proportion(30, 100), new Proportion(9, 80));
    try (EventPublisher events = new EventPublisher(client(), "evaluated", 0, 1)) {
      events.onEvaluation(new EvaluationMetrics(40, 0.875, 0.75, List.of(head)));
    }

    List<TrainingEvent> published = events(client(), "evaluated");
    assertThat(published)
        .hasSize(2)
        .allSatisfy(
            event -> {
              assertThat(event.getKind()).isEqualTo(EventKind.EVAL);
              assertThat(event.getStep()).isEqualTo(40);
            });
    assertThat(published.get(0).getLabels()).isEmpty();
    assertThat(published.get(0).getMetrics())
        .containsOnly(
            entry("accuracy_train", 0.875),
            entry("accuracy_test", 0.75),
            entry("generalization_gap", 0.125));

    TrainingEvent perHead = published.get(1);
    assertThat(perHead.getLabels())
        .containsOnly(
            entry("head", "penultimate/0"), entry("tap", "penultimate"), entry("labeling", "0"));
    Map<String, Double> metrics = perHead.getMetrics();
    assertThat(metrics)
        .hasSize(11)
        .containsEntry(EventMetricNames.EVALUATED_SAMPLES, 100.0)
        .containsEntry(EventMetricNames.EVALUATED_SAMPLES_TEST, 80.0);
    assertEstimate(
        metrics, EventMetricNames.RANDOM_LABEL_ACCURACY, new Proportion(30, 100).interval());
    assertEstimate(
        metrics, EventMetricNames.RANDOM_LABEL_ACCURACY_TEST, new Proportion(9, 80).interval());
    assertEstimate(metrics, EventMetricNames.MEMORIZATION_INDEX, head.memorizationIndexInterval());
    assertThat(metrics.get(EventMetricNames.MEMORIZATION_INDEX))
        .isCloseTo((0.3 - 0.1) / 0.9, offset(1e-12));
  }

  @Test
  void closeWaitsUntilEveryEventIsWritten() {
    int count = 2_000;
    try (EventPublisher events = new EventPublisher(client(), "flushed", 0, 1)) {
      for (long step = 1; step <= count; step++) {
        events.onStep(step(step, 1, List.of()));
      }
    }

    // Read right after close() returned, up to the end offsets of that moment.
    assertThat(events(client(), "flushed"))
        .extracting(TrainingEvent::getSequence)
        .containsExactlyElementsOf(LongStream.range(0, count).boxed().toList());
  }

  private static void assertEstimate(Map<String, Double> metrics, String name, Interval expected) {
    assertThat(expected.low()).isLessThan(expected.value());
    assertThat(expected.high()).isGreaterThan(expected.value());
    assertThat(metrics)
        .containsEntry(name, expected.value())
        .containsEntry(name + "_low", expected.low())
        .containsEntry(name + "_high", expected.high());
  }

  private static StepMetrics step(long step, int epoch, List<HeadStepMetrics> heads) {
    return new StepMetrics(step, epoch, 64, 0.5, 0.5, heads, 0.01, 1.0);
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
