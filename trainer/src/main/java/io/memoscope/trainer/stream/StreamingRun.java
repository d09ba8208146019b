package io.memoscope.trainer.stream;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpec;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.protocol.serde.Codecs;
import io.memoscope.protocol.serde.RunManifestSerializer;
import io.memoscope.protocol.serde.SerdeSettings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import io.memoscope.trainer.train.DataShape;
import io.memoscope.trainer.train.DivergedException;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import io.memoscope.trainer.train.TrainingLoop;
import io.memoscope.trainer.train.TrainingPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run fed from Kafka: captures and publishes the run manifest, streams the train
 * range every epoch, evaluates on the test range, publishes training events, and returns the
 * summary.
 */
public final class StreamingRun {

  private static final Logger log = LoggerFactory.getLogger(StreamingRun.class);

  /** Each finished run leaves its summary in its run directory, for {@code replay} to compare. */
  public static final String SUMMARY_FILE = "summary.json";

  /** The manifest a run keeps in its run directory. */
  public static final String MANIFEST_FILE = "manifest.avro";

  /**
   * @param runDirectory where the manifest (and later the checkpoints) of the run are kept
   * @param prefetch batches assembled ahead of training
   */
  public record Options(String runId, String dataset, TrainingConfig config, Path runDirectory, String codeVersion,
      int logEvery, int ratioEvery, int prefetch, Duration timeout, boolean resume,
      int checkpointEvery, int keepCheckpoints, RunManifest replayOf) {

    /** The same run again from scratch under this options' run id: its data ranges and (given) config. */
    public Options replaying(RunManifest manifest) {
      return new Options(runId, manifest.getDataset(), config, runDirectory, codeVersion, logEvery, ratioEvery,
          prefetch, timeout, false, checkpointEvery, keepCheckpoints, manifest);
    }
  }

  private final Map<String, Object> clientConfig;
  private final TopicSettings topicSettings;
  private final Options options;
  private final TrainingListener listener;
  private final RunParts parts;

  /** @param topicSettings replication and retention of the topics the run creates */
  public StreamingRun(Map<String, Object> clientConfig, TopicSettings topicSettings, Options options,
      TrainingListener listener) {
    this(clientConfig, topicSettings, options, listener, RunParts.KAFKA);
  }

  /** With the producers and the prefetch thread's records passing through {@code parts} (tests inject failures). */
  StreamingRun(Map<String, Object> clientConfig, TopicSettings topicSettings, Options options,
      TrainingListener listener, RunParts parts) {
    this.parts = parts;
    this.clientConfig = Map.copyOf(clientConfig);
    this.topicSettings = topicSettings;
    this.options = options;
    this.listener = listener;
  }

  /**
   * Trains the run; a failure, a background thread's included ({@link BackgroundThreadException}),
   * is published as a RUN_FINISHED event with outcome failed (diverged for a {@link DivergedException})
   * before it is thrown. A checkpoint written before it stays, for {@code --resume}.
   */
  public RunSummary run() {
    Nd4jRuntime.startLoading(); // overlaps the Kafka set-up below
    CheckpointStore store = new CheckpointStore(options.runDirectory(), options.keepCheckpoints());
    RunManifest resumedManifest = options.resume() ? readManifest() : null;
    Optional<CheckpointStore.Checkpoint> checkpoint = options.resume() ? store.newestValid() : Optional.empty();
    String dataset = options.resume() ? resumedManifest.getDataset() : options.dataset();
    TrainingConfig config = options.resume() ? TrainingConfig.fromFlatMap(RunManifests.recordedConfig(resumedManifest)) : options.config();
    BackgroundFailures failures = new BackgroundFailures();
    try (Admin admin = Admin.create(clientConfig);
         DeadLetters deadLetters = new DeadLetters(parts, clientConfig, failures);
         EventPublisher events = new EventPublisher(parts, clientConfig, options.runId(),
             checkpoint.map(CheckpointStore.Checkpoint::nextEventSequence).orElse(0L),
             checkpoint.map(c -> c.position().epoch()).orElse(1), failures)) {
      try {
        return run(admin, deadLetters, events, failures, store, checkpoint, resumedManifest, dataset, config);
      } catch (RuntimeException | Error e) {
        String outcome = e instanceof DivergedException ? EventMetricNames.OUTCOME_DIVERGED
            : EventMetricNames.OUTCOME_FAILED;
        events.publish(EventKind.RUN_FINISHED, EventPublisher.CURRENT_STEP, Map.of("dead_letters",
            (double) deadLetters.count(), EventMetricNames.PUBLISH_FAILURES, (double) events.publishFailures()),
            Map.of(EventMetricNames.OUTCOME, outcome), String.valueOf(e.getMessage()));
        // If Kafka is what failed, the events cannot go out: the user hears of the failure within --timeout.
        events.closeWithin(options.timeout());
        throw e;
      }
    }
  }

  private RunSummary run(Admin admin, DeadLetters deadLetters, EventPublisher events, BackgroundFailures failures,
      CheckpointStore store,
      Optional<CheckpointStore.Checkpoint> checkpoint, RunManifest resumedManifest, String dataset,
      TrainingConfig config) {
    deadLetters.reportingTo((record, reason, total) -> events.publish(EventKind.DEAD_LETTER,
        EventPublisher.CURRENT_STEP, Map.of("dead_letters", (double) total), Map.of("topic", record.topic()),
        record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason));
    DatasetInfo info = DatasetInfos.latest(clientConfig, admin, dataset, options.timeout());
    DataShape shape = new DataShape(new InputShape(info.getHeight(), info.getWidth(), info.getChannels()),
        info.getClassNames().size(), info.getRandomClasses(), info.getLabelings());
    if (config.shuffleBuffer() == 0) {
      config = config.withShuffleBuffer(ShuffleBuffer.capacityFor(shape.input(), Runtime.getRuntime().maxMemory()));
      log.info("shuffle buffer: {} samples (an eighth of the {} MiB heap; recorded in the manifest)",
          config.shuffleBuffer(), Runtime.getRuntime().maxMemory() >> 20);
    }
    createTopics(admin, dataset);
    RunManifest manifest = resumedManifest;
    if (manifest == null && options.replayOf() != null) {
      manifest = RunManifest.newBuilder(options.replayOf()).setRunId(options.runId())
          .setConfig(new HashMap<>(config.toFlatMap())).setSeeds(Map.of("seed", config.seed()))
          .setCodeVersion(options.codeVersion()).setCreatedAt(Instant.now()).build();
      publish(manifest);
    } else if (manifest == null) {
      manifest = RunManifests.capture(admin, options.runId(), dataset, config, options.codeVersion(),
          options.timeout());
      publish(manifest);
    }
    if (resumedManifest != null || options.replayOf() != null) {
      RunManifests.requireStored(admin, manifest, options.timeout());
    }
    TrainingPosition start = checkpoint.map(CheckpointStore.Checkpoint::position).orElse(TrainingPosition.START);
    if (options.resume()) {
      events.publish(EventKind.RESUME, start.step(), Map.of("epoch", (double) start.epoch(),
          "batches_done", (double) start.batchesDone()), Map.of(), checkpoint.isPresent()
          ? "resumed from the checkpoint at step " + start.step() : "no valid checkpoint: started over");
    }

    List<TopicRange> train = RunManifests.rangesOf(manifest, Topics.samples(dataset, Split.train));
    List<TopicRange> test = RunManifests.rangesOf(manifest, Topics.samples(dataset, Split.test));
    long samplesPerEpoch = CommittedRecords.count(clientConfig, train);
    if (samplesPerEpoch == 0) {
      throw new IllegalStateException(Topics.samples(dataset, Split.train) + " holds no samples: ingest "
          + dataset + " first");
    }
    DatasetCounts.check(info, Split.train, samplesPerEpoch);
    Nd4jRuntime.load();
    BatchAssembler assembler = shape.assembler(config.dataType());
    SampleDecoder decoder = new SampleDecoder(shape, deadLetters);
    Samples trainSubset = TrainingLoop.samples(assembler, decoder.decodeFirst(clientConfig, train,
        config.eval().subset()));
    SampleDecoder.DecodedRange testRange = decoder.decodeAll(clientConfig, test);
    DatasetCounts.check(info, Split.test, testRange.records());
    List<SampleView> testViews = testRange.samples();
    Samples testSamples = testViews.isEmpty() ? trainSubset : TrainingLoop.samples(assembler, testViews);
    KafkaBatchSource batches = new KafkaBatchSource(clientConfig, train, samplesPerEpoch, config.batchSize(),
        config.seed(), config.shuffleBuffer(), options.prefetch(), Augmenter.of(config.augmentation(),
        config.seed()), assembler, decoder).reportingTo(new BrokerWaitEvents(events))
        .failingWith(failures).beforeDecoding(parts::reading)
        .readingAheadUpTo(config.epochs());
    int randomClasses = info.getRandomClasses();
    events.describing(Map.of("epochs", (double) config.epochs(), "samples_per_epoch", (double) samplesPerEpoch,
        "classes", (double) shape.numClasses(), "random_classes", (double) randomClasses,
        "random_label_chance", 1.0 / randomClasses), batches::unread);
    String trainTopic = Topics.samples(dataset, Split.train);
    long[] lastStep = {start.step()};
    TrainingListener sampleCount = new TrainingListener() {
      @Override
      public void onEpochEnd(int epoch, long step, EpochTally tally) {
        lastStep[0] = step;
        long expected = samplesPerEpoch - deadLetters.rejected(trainTopic);
        if (tally.samples() != expected) {
          throw new IllegalStateException("epoch " + epoch + " trained " + tally.samples() + " samples, but the"
              + " manifest's range of " + trainTopic + " holds " + samplesPerEpoch + " records of which "
              + deadLetters.rejected(trainTopic) + " were dead-lettered: records were lost or read twice");
        }
      }
    };

    LastEvaluation last = new LastEvaluation();
    long started = System.nanoTime();
    TrainingListener checkpoints = new TrainingListener() {
      @Override
      public void onCheckpointDue(TrainingPosition next, MultiHeadModel model) {
        Path file = store.write(next, events.nextSequence(), model.snapshot());
        events.publish(EventKind.CHECKPOINT, next.step(), Map.of(), Map.of(), file.getFileName().toString());
      }
    };
    MultiHeadModel model;
    try (batches) {
      // The first epoch's reading (a whole-data-set shuffle needs all of it) overlaps building the model.
      batches.startReading(start.epoch());
      model = new TrainingLoop(config, shape, batches, trainSubset, testSamples,
          new Listeners(List.of(sampleCount, events, listener, last, checkpoints)), options.logEvery(),
          options.ratioEvery())
          .checkpointEvery(options.checkpointEvery())
          .run(start, checkpoint.map(CheckpointStore.Checkpoint::state).orElse(null));
    }
    // Nothing is counted that was not written: the summary waits for the last dead letters' acknowledgements.
    deadLetters.awaitWritten();
    failures.throwIfAny();
    double seconds = (System.nanoTime() - started) / 1e9;
    long steps = lastStep[0];
    long trainedPerEpoch = samplesPerEpoch - deadLetters.rejected(trainTopic);
    double trainedSamples = (double) trainedPerEpoch * config.epochs() - (double) start.step() * config.batchSize();
    RunSummary summary = new RunSummary(options.runId(), dataset, config.epochs(), steps,
        trainedPerEpoch, Math.max(0, trainedSamples) / seconds, batches.waitedSeconds(), deadLetters.count(),
        ParameterDigest.of(model), last.values());
    events.publish(EventKind.RUN_FINISHED, steps, Map.of("dead_letters", (double) deadLetters.count(),
        "samples_per_second", summary.samplesPerSecond(), EventMetricNames.PUBLISH_FAILURES,
        (double) events.publishFailures()), Map.of(EventMetricNames.OUTCOME, EventMetricNames.OUTCOME_SUCCEEDED),
        summary.parametersSha256());
    summary.writeJson(options.runDirectory().resolve(SUMMARY_FILE));
    return summary;
  }

  private RunManifest readManifest() {
    Path file = options.runDirectory().resolve(MANIFEST_FILE);
    try {
      return Codecs.runManifest(SerdeSettings.defaults()).decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalStateException("no run " + options.runId() + " to resume: cannot read " + file, e);
    }
  }

  /**
   * The topics a run writes to, created from their specs if missing (and waited for: no event is
   * lost to KAFKA-15591); existing ones are checked against the specs. A cluster that manages its
   * topics itself simply has them already.
   */
  private void createTopics(Admin admin, String dataset) {
    List<TopicSpec> topics = new ArrayList<>(List.of(TopicSpecs.runs(), TopicSpecs.events()));
    for (Split split : Split.values()) {
      topics.add(TopicSpecs.deadLetter(Topics.samples(dataset, split)));
    }
    for (TopicSpec topic : topics) {
      TopicAdmin.ensure(admin, topic, topicSettings, options.timeout());
    }
  }

  /** To {@code memoscope.runs} (compacted, keyed by run id) and beside the checkpoints. */
  private void publish(RunManifest manifest) {
    try (Producer<String, RunManifest> producer = parts.producer(clientConfig, new StringSerializer(),
        new RunManifestSerializer())) {
      producer.send(new ProducerRecord<>(Topics.RUNS, manifest.getRunId(), manifest)).get();
    } catch (Exception e) {
      throw new IllegalStateException("publishing the run manifest: " + e.getMessage(), e);
    }
    try {
      Files.createDirectories(options.runDirectory());
      Path file = options.runDirectory().resolve(MANIFEST_FILE);
      Path temporary = Files.createTempFile(options.runDirectory(), ".manifest", ".tmp");
      Files.write(temporary, Codecs.runManifest(SerdeSettings.defaults()).encode(manifest));
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the manifest to " + options.runDirectory() + ": " + e.getMessage(), e);
    }
  }

  /** Outages while reading: a warning on the terminal and BROKER_WAIT events. */
  private static final class BrokerWaitEvents implements BrokerWaits {
    private static final Logger log = LoggerFactory.getLogger(StreamingRun.class);
    private final EventPublisher events;

    BrokerWaitEvents(EventPublisher events) {
      this.events = events;
    }

    @Override
    public void waiting(String what, int attempt, Throwable cause) {
      log.warn("{}: waiting for Kafka ({}; attempt {})", what, cause.getMessage(), attempt);
      if (attempt == 1) {
        events.publish(EventKind.BROKER_WAIT, 0, Map.of("attempt", (double) attempt), Map.of("state", "waiting"),
            what + ": " + cause.getMessage());
      }
    }

    @Override
    public void recovered(String what, int attempts) {
      log.warn("{}: Kafka is back, going on where the run was", what);
      events.publish(EventKind.BROKER_WAIT, 0, Map.of("attempts", (double) attempts), Map.of("state", "recovered"),
          what);
    }
  }

  /**
   * Keeps the last evaluation's values (and the last probe's, when the run probes) for the
   * summary: each estimate with the bounds of its 95 % interval, keyed {@code name{head}}.
   */
  private static final class LastEvaluation implements TrainingListener {
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, Double> probe = new LinkedHashMap<>();

    @Override
    public void onEvaluation(EvaluationMetrics metrics) {
      values.clear();
      values.put("accuracy_train", metrics.trainAccuracy());
      values.put("accuracy_test", metrics.testAccuracy());
      values.put("generalization_gap", metrics.generalizationGap());
      for (HeadEvaluation head : metrics.heads()) {
        putAll(values, head.head(), head.estimates());
      }
    }

    @Override
    public void onProbe(ProbeReport report) {
      probe.clear();
      for (ProbeResult result : report.results()) {
        putAll(probe, result.head(), result.estimates());
      }
    }

    /** Each estimate X of a head as X{head}, X_low{head} and X_high{head}. */
    private static void putAll(Map<String, Double> values, String head, Map<String, Interval> estimates) {
      estimates.forEach((name, interval) -> {
        values.put(name + "{" + head + "}", interval.value());
        values.put(EventMetricNames.low(name) + "{" + head + "}", interval.low());
        values.put(EventMetricNames.high(name) + "{" + head + "}", interval.high());
      });
    }

    /** Sorted by name, so the summary file reads in a stable order. */
    Map<String, Double> values() {
      Map<String, Double> all = new TreeMap<>(values);
      all.putAll(probe);
      return Collections.unmodifiableMap(all);
    }
  }
}
