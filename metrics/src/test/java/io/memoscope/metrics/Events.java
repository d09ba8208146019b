package io.memoscope.metrics;

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

  public static TrainingEvent event(String run, long sequence, Instant at, EventKind kind, int epoch, long step,
      Map<String, Double> metrics, Map<String, String> labels) {
    return TrainingEvent.newBuilder().setRunId(run).setSequence(sequence).setTimestamp(at).setKind(kind)
        .setEpoch(epoch).setStep(step).setMetrics(new HashMap<>(metrics)).setLabels(new HashMap<>(labels))
        .setMessage(null).build();
  }

  public static Map<String, String> head(String tap, String labeling) {
    return Map.of("head", tap + "/" + labeling, "tap", tap, "labeling", labeling);
  }

  public static RunManifest manifest(String run, String dataset) {
    return RunManifest.newBuilder().setRunId(run).setDataset(dataset).setTopics(List.of(new TopicRange("samples." + dataset + ".train", 0, 0L, 100L)))
        .setSeeds(Map.of("seed", 42L))
        .setConfig(new HashMap<>(Map.of("model.name", "small-cnn", "optimizer.name", "sgd", "heads.lambda", "0.0")))
        .setCodeVersion("test").setCreatedAt(Instant.parse("2026-11-27T10:00:00Z")).build();
  }
}
