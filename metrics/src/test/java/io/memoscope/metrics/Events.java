package io.memoscope.metrics;

import static io.memoscope.protocol.EventMetricNames.high;
import static io.memoscope.protocol.EventMetricNames.low;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.avro.TrainingEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Training events and manifests as the trainer writes them (docs/metrics.md), for tests. */
public final class Events {

  private Events() {}

  public static TrainingEvent event(
      String run,
      long sequence,
      Instant at,
      EventKind kind,
      int epoch,
      long step,
      Map<String, Double> metrics,
      Map<String, String> labels) {
    return TrainingEvent.newBuilder()
        .setRunId(run)
        .setSequence(sequence)
        .setTimestamp(at)
        .setKind(kind)
        .setEpoch(epoch)
        .setStep(step)
        .setMetrics(new HashMap<>(metrics))
        .setLabels(new HashMap<>(labels))
        .setMessage(null)
        .build();
  }

  public static Map<String, String> head(String tap, String labeling) {
    return Map.of("head", tap + "/" + labeling, "tap", tap, "labeling", labeling);
  }

  /**
   * A PROBE event of one tap and labeling as the trainer writes it: train fit {@code train}, test
   * fit {@code test}, each ± 0.02, their difference ± 0.03, the memorization index, 500 samples.
   */
  public static TrainingEvent probe(
      String run,
      long sequence,
      Instant at,
      int epoch,
      long step,
      String tap,
      String labeling,
      double train,
      double test) {
    Map<String, Double> metrics = new HashMap<>();
    estimate(metrics, EventMetricNames.PROBE_ACCURACY, train, 0.02);
    estimate(metrics, EventMetricNames.PROBE_ACCURACY_TEST, test, 0.02);
    estimate(metrics, EventMetricNames.PROBE_DIFFERENCE, train - test, 0.03);
    estimate(metrics, EventMetricNames.PROBE_MEMORIZATION_INDEX, (train - test) / (1 - test), 0.04);
    metrics.put(EventMetricNames.PROBE_SAMPLES, 500.0);
    TrainingEvent event =
        event(run, sequence, at, EventKind.PROBE, epoch, step, metrics, head(tap, labeling));
    event.setMessage("checkpoint step-" + String.format("%012d", step) + ".ckpt");
    return event;
  }

  /**
   * Puts {@code name} = value and its interval value ± halfWidth (the trainer's {@code _low},
   * {@code _high}).
   */
  public static void estimate(
      Map<String, Double> metrics, String name, double value, double halfWidth) {
    metrics.put(name, value);
    metrics.put(low(name), value - halfWidth);
    metrics.put(high(name), value + halfWidth);
  }

  public static RunManifest manifest(String run, String dataset) {
    return RunManifest.newBuilder()
        .setRunId(run)
        .setDataset(dataset)
        .setTopics(List.of(new TopicRange("samples." + dataset + ".train", 0, 0L, 100L)))
        .setSeeds(Map.of("seed", 42L))
        .setConfig(
            new HashMap<>(
                Map.of("model.name", "small-cnn", "optimizer.name", "sgd", "heads.lambda", "0.0")))
        .setCodeVersion("test")
        .setCreatedAt(Instant.parse("2026-11-27T10:00:00Z"))
        .build();
  }

  /**
   * A data set of two classes with {@code trainCount} training and 100 test images, as ingest
   * describes it.
   */
  public static DatasetInfo dataset(String name, int trainCount, Instant createdAt) {
    return DatasetInfo.newBuilder()
        .setName(name)
        .setClassNames(List.of("a", "b"))
        .setHeight(28)
        .setWidth(28)
        .setChannels(1)
        .setTrainCount(trainCount)
        .setTestCount(100)
        .setRandomClasses(10)
        .setLabelSeed(42)
        .setLabelings(1)
        .setCreatedAt(createdAt)
        .build();
  }
}
