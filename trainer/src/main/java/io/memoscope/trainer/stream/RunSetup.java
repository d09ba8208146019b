package io.memoscope.trainer.stream;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.kafka.KafkaFutures;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.serde.RunManifestSerializer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.runtime.RunEnvironment;
import io.memoscope.trainer.train.DataShape;
import io.memoscope.trainer.train.TrainingPosition;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a streaming run does before its first batch is read: looks its data set up, sizes an
 * automatic shuffle buffer, creates (or checks) its topics, and fixes its manifest. A new run or a
 * replay records its manifest in {@code memoscope.runs} and beside its checkpoints; a resumed run
 * or a replay first checks that every record of the manifest's ranges is still stored.
 */
final class RunSetup {

  private static final Logger log = LoggerFactory.getLogger(RunSetup.class);

  /**
   * The run as it will train.
   *
   * @param config the config with its shuffle buffer fixed (as recorded in {@code manifest})
   */
  record Prepared(
      String dataset,
      TrainingConfig config,
      DatasetInfo info,
      DataShape shape,
      RunManifest manifest) {}

  private final Map<String, Object> clientConfig;
  private final TopicSettings topicSettings;
  private final RunOptions options;
  private final RunParts parts;

  RunSetup(
      Map<String, Object> clientConfig,
      TopicSettings topicSettings,
      RunOptions options,
      RunParts parts) {
    this.clientConfig = clientConfig;
    this.topicSettings = topicSettings;
    this.options = options;
    this.parts = parts;
  }

  Prepared prepare(Admin admin, RunStart start, EventPublisher events) {
    Duration timeout = options.tuning().timeout();
    DatasetInfo info = DatasetInfos.latest(clientConfig, admin, start.dataset(), timeout);
    DataShape shape =
        new DataShape(
            new InputShape(info.getHeight(), info.getWidth(), info.getChannels()),
            info.getClassNames().size(),
            info.getRandomClasses(),
            info.getLabelings());
    TrainingConfig config = withShuffleBufferFixed(start.config(), shape);
    RunTopics.ensure(admin, start.dataset(), topicSettings, timeout);
    RunManifest manifest = manifest(admin, start, config);
    if (options.mode() instanceof RunMode.Resume) {
      TrainingPosition position = start.position();
      events.publish(
          EventKind.RESUME,
          position.step(),
          Map.of(
              EventMetricNames.EPOCH,
              (double) position.epoch(),
              EventMetricNames.BATCHES_DONE,
              (double) position.batchesDone()),
          Map.of(),
          start.checkpoint().isPresent()
              ? "resumed from the checkpoint at step " + position.step()
              : "no valid checkpoint: started over");
    }
    return new Prepared(start.dataset(), config, info, shape, manifest);
  }

  /**
   * Shuffle buffer 0 means "an eighth of the heap": fixed now, since the epoch order depends on it.
   */
  private static TrainingConfig withShuffleBufferFixed(TrainingConfig config, DataShape shape) {
    if (config.shuffleBuffer() != 0) {
      return config;
    }
    long heap = Runtime.getRuntime().maxMemory();
    TrainingConfig sized = config.withShuffleBuffer(ShuffleBuffer.capacityFor(shape.input(), heap));
    log.info(
        "shuffle buffer: {} samples (an eighth of the {} MiB heap; recorded in the manifest)",
        sized.shuffleBuffer(),
        heap >> 20);
    return sized;
  }

  private RunManifest manifest(Admin admin, RunStart start, TrainingConfig config) {
    Duration timeout = options.tuning().timeout();
    if (start.recorded().isPresent()) {
      RunManifests.requireStored(admin, start.recorded().get(), timeout);
      return start.recorded().get();
    }
    // The environment names the ND4J backend, so ND4J must be loaded (it has been loading
    // meanwhile).
    Map<String, String> environment = RunEnvironment.current();
    RunManifest manifest =
        options.mode() instanceof RunMode.Replay replay
            ? RunManifests.replaying(
                replay.original(), options.runId(), config, options.codeVersion(), environment)
            : RunManifests.capture(
                admin,
                options.runId(),
                start.dataset(),
                config,
                options.codeVersion(),
                environment,
                timeout);
    publish(manifest);
    if (options.mode() instanceof RunMode.Replay) {
      RunManifests.requireStored(admin, manifest, timeout);
    }
    return manifest;
  }

  /** To {@code memoscope.runs} (compacted, keyed by run id) and beside the checkpoints. */
  private void publish(RunManifest manifest) {
    String what = "publishing the run manifest to " + Topics.RUNS;
    try (Producer<String, RunManifest> producer =
        parts.producer(clientConfig, new StringSerializer(), new RunManifestSerializer())) {
      KafkaFutures.get(
          producer.send(new ProducerRecord<>(Topics.RUNS, manifest.getRunId(), manifest)),
          options.tuning().timeout(),
          what);
    } catch (KafkaException e) { // the producer's own set-up or send, before there is a future
      throw new IllegalStateException(what + ": " + e.getMessage(), e);
    }
    ManifestFile.write(options.runDirectory(), manifest);
  }
}
