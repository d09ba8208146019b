package io.memoscope.trainer.stream;

import static io.memoscope.trainer.stream.TinyStreamedDataset.config;
import static io.memoscope.trainer.stream.TinyStreamedDataset.events;
import static io.memoscope.trainer.stream.TinyStreamedDataset.options;
import static io.memoscope.trainer.stream.TinyStreamedDataset.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.HeadId;
import io.memoscope.protocol.SampleBits;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import io.memoscope.protocol.serde.SampleEvaluationDeserializer;
import io.memoscope.trainer.train.TrainingListener;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-sample results on a real broker: every evaluation of a run publishes one SampleEvaluation
 * whose samples are the evaluation subset's (their records found where it says), whose labels are
 * those records' labels, and whose bits count to exactly the accuracies of the same evaluation's
 * EVAL events.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SampleEvaluationsTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir static Path runs;

  private static final String DATASET = "per-sample";
  private static final String RUN = "hits";
  private static final int SUBSET = 16;
  private static final String PROBED = "probed";

  @BeforeAll
  static void trainTwoEpochsOnTwoPartitions() throws Exception {
    TinyStreamedDataset.ingest(client(), DATASET, 2);
    new StreamingRun(
            client(),
            TopicSettings.DEFAULTS,
            options(RUN, DATASET, config(2, "heads.taps", "penultimate,block1"), runs, false),
            TrainingListener.NONE)
        .run();
    new StreamingRun(
            client(),
            TopicSettings.DEFAULTS,
            options(
                PROBED,
                DATASET,
                config(
                    2,
                    "heads.taps",
                    "penultimate,block1",
                    "probe.every",
                    "1",
                    "probe.taps",
                    "penultimate",
                    "probe.max-epochs",
                    "3"),
                runs,
                false),
            TrainingListener.NONE)
        .run();
  }

  @Test
  void eachEvaluationNamesTheSubsetsSamplesWhereTheirRecordsAreWithTheirLabels() {
    Map<String, ImageSample> byPosition = new HashMap<>();
    ImageSampleDeserializer images = new ImageSampleDeserializer();
    String topic = Topics.samples(DATASET, Split.train);
    for (ConsumerRecord<byte[], byte[]> record : records(client(), topic)) {
      byPosition.put(
          record.partition() + "@" + record.offset(), images.deserialize(topic, record.value()));
    }

    List<SampleEvaluation> evaluations = evaluations();

    assertThat(evaluations).hasSize(2);
    assertThat(evaluations).extracting(SampleEvaluation::getEpoch).containsExactly(1, 2);
    for (SampleEvaluation evaluation : evaluations) {
      assertThat(evaluation.getIndices()).hasSize(SUBSET).doesNotHaveDuplicates();
      assertThat(new HashSet<>(evaluation.getPartitions())).as("both partitions").hasSize(2);
      assertThat(evaluation.getIndices()).isEqualTo(evaluations.get(0).getIndices());
      assertThat(evaluation.getHeads()).extracting(HeadHits::getHead).hasSize(2);
      for (int i = 0; i < SUBSET; i++) {
        ImageSample sample =
            byPosition.get(
                evaluation.getPartitions().get(i) + "@" + evaluation.getOffsets().get(i));
        assertThat(sample.getIndex()).isEqualTo(evaluation.getIndices().get(i));
        assertThat(evaluation.getClasses().get(i)).isEqualTo(sample.getLabel());
        for (HeadHits head : evaluation.getHeads()) {
          int labeling = HeadId.parse(head.getHead()).labeling();
          assertThat(head.getRandomLabels().get(i))
              .isEqualTo(sample.getRandomLabels().get(labeling));
        }
      }
    }
  }

  @Test
  void theBitsCountToTheSameEvaluationsAccuracies() {
    List<TrainingEvent> evals =
        events(client(), RUN).stream().filter(e -> e.getKind() == EventKind.EVAL).toList();

    for (SampleEvaluation evaluation : evaluations()) {
      List<TrainingEvent> atStep =
          evals.stream().filter(e -> e.getStep() == evaluation.getStep()).toList();
      TrainingEvent run =
          atStep.stream()
              .filter(e -> !e.getLabels().containsKey(EventLabels.HEAD))
              .findFirst()
              .orElseThrow();
      assertThat(fraction(evaluation.getClassCorrect()))
          .isEqualTo(run.getMetrics().get(EventMetricNames.ACCURACY_TRAIN));
      for (HeadHits head : evaluation.getHeads()) {
        TrainingEvent ofHead =
            atStep.stream()
                .filter(e -> head.getHead().equals(e.getLabels().get(EventLabels.HEAD)))
                .findFirst()
                .orElseThrow();
        assertThat(fraction(head.getCorrect()))
            .as("%s at step %d", head.getHead(), evaluation.getStep())
            .isEqualTo(ofHead.getMetrics().get(EventMetricNames.RANDOM_LABEL_ACCURACY));
      }
    }
  }

  @Test
  void withoutAProbeARecordHasNoProbes() {
    assertThat(evaluations(RUN))
        .allSatisfy(
            evaluation -> {
              assertThat(evaluation.getProbes()).isEmpty();
              assertThat(evaluation.getProbeSamples()).isZero();
            });
  }

  /**
   * probe.every = 1: each record carries the probe's train fit of its evaluation, whose bits count
   * to exactly the PROBE event's accuracy of the same step and tap/labeling.
   */
  @Test
  void theProbesBitsCountToTheSameStepsProbeAccuracy() {
    List<TrainingEvent> probes =
        events(client(), PROBED).stream().filter(e -> e.getKind() == EventKind.PROBE).toList();
    List<SampleEvaluation> evaluations = evaluations(PROBED);

    assertThat(evaluations).hasSize(2);
    for (SampleEvaluation evaluation : evaluations) {
      assertThat(evaluation.getProbes())
          .isNotEmpty()
          .allSatisfy(probe -> assertThat(probe.getHead()).startsWith("penultimate/"));
      for (HeadHits probe : evaluation.getProbes()) {
        TrainingEvent event =
            probes.stream()
                .filter(e -> e.getStep() == evaluation.getStep())
                .filter(e -> probe.getHead().equals(e.getLabels().get(EventLabels.HEAD)))
                .findFirst()
                .orElseThrow();
        int samples = evaluation.getProbeSamples();
        assertThat((double) samples)
            .isEqualTo(event.getMetrics().get(EventMetricNames.PROBE_SAMPLES));
        assertThat((double) hits(probe.getCorrect()) / samples)
            .as("%s at step %d", probe.getHead(), evaluation.getStep())
            .isEqualTo(event.getMetrics().get(EventMetricNames.PROBE_ACCURACY));
        evaluation.getHeads().stream()
            .filter(head -> head.getHead().equals(probe.getHead()))
            .forEach(head -> assertThat(probe.getRandomLabels()).isEqualTo(head.getRandomLabels()));
      }
    }
  }

  private static int hits(ByteBuffer bits) {
    int hits = 0;
    for (boolean hit : SampleBits.toArray(bits, SUBSET)) {
      hits += hit ? 1 : 0;
    }
    return hits;
  }

  private static double fraction(ByteBuffer bits) {
    return (double) hits(bits) / SUBSET;
  }

  private static List<SampleEvaluation> evaluations() {
    return evaluations(RUN);
  }

  private static List<SampleEvaluation> evaluations(String run) {
    SampleEvaluationDeserializer deserializer = new SampleEvaluationDeserializer();
    return records(client(), Topics.EVALUATIONS).stream()
        .map(record -> deserializer.deserialize(Topics.EVALUATIONS, record.value()))
        .filter(evaluation -> evaluation.getRunId().equals(run))
        .toList();
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
