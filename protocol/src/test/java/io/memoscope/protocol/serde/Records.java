package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.labels.RandomLabels;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid records to start tests from. */
final class Records {

  static final long SEED = 42;

  private Records() {}

  /** A 28x28 grey image with every byte value present, two labelings of n = 10. */
  static ImageSample imageSample() {
    return imageSample(28, 28, 1);
  }

  static ImageSample imageSample(int height, int width, int channels) {
    return ImageSample.newBuilder()
        .setDataset("fashion-mnist")
        .setSplit(Split.train)
        .setIndex(17)
        .setHeight(height)
        .setWidth(width)
        .setChannels(channels)
        .setPixels(pixels(height * width * channels))
        .setLabel(3)
        .setNumClasses(10)
        .setRandomLabels(RandomLabels.labels(SEED, "fashion-mnist", Split.train, 17, 2, 10))
        .setRandomClasses(10)
        .setLabelSeed(SEED)
        .build();
  }

  static ByteBuffer pixels(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) i;
    }
    return ByteBuffer.wrap(bytes);
  }

  static DatasetInfo datasetInfo() {
    return DatasetInfo.newBuilder()
        .setName("fashion-mnist")
        .setClassNames(
            List.of(
                "T-shirt/top",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot"))
        .setHeight(28)
        .setWidth(28)
        .setChannels(1)
        .setTrainCount(60_000)
        .setTestCount(10_000)
        .setRandomClasses(10)
        .setLabelSeed(SEED)
        .setLabelings(2)
        .setCreatedAt(Instant.ofEpochMilli(1_760_000_000_123L))
        .build();
  }

  static TrainingEvent trainingEvent() {
    return TrainingEvent.newBuilder()
        .setRunId("run-1")
        .setSequence(12)
        .setTimestamp(Instant.ofEpochMilli(1_760_000_100_456L))
        .setKind(EventKind.EVAL)
        .setEpoch(3)
        .setStep(1_875)
        .setMetrics(Map.of("rla", 0.31, "memorization_index", 0.2333, "loss", Double.NaN))
        .setLabels(Map.of("head", "0", "tap", "penultimate"))
        .setMessage(null)
        .build();
  }

  static RunManifest runManifest() {
    return RunManifest.newBuilder()
        .setRunId("run-1")
        .setDataset("fashion-mnist")
        .setTopics(
            List.of(
                new TopicRange("samples.fashion-mnist.train", 0, 0L, 30_000L),
                new TopicRange("samples.fashion-mnist.train", 1, 0L, 30_000L),
                new TopicRange("samples.fashion-mnist.test", 0, 5L, 10_005L)))
        .setSeeds(Map.of("init", 1L, "shuffle", 2L, "augment", -3L))
        .setConfig(Map.of("optimizer.name", "sgd", "optimizer.lr", "0.1", "heads.lambda", "0"))
        .setCodeVersion("0.1.0-SNAPSHOT+abc1234")
        .setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L))
        .build();
  }
}
