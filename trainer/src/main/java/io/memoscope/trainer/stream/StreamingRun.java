package io.memoscope.trainer.stream;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import io.memoscope.trainer.train.DivergedException;
import io.memoscope.trainer.train.TrainingListener;
import io.memoscope.trainer.train.TrainingLoop;
import io.memoscope.trainer.train.TrainingPosition;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * One training run fed from Kafka: set up by {@link RunSetup} (data set, topics, manifest), it
 * streams the manifest's train range every epoch, evaluates on its test range, publishes training
 * events, and returns the summary. The parts: {@link RunStart} (what the mode starts from), {@link
 * RunSetup}, {@link KafkaBatchSource} (reading), {@link TrainingLoop} (training), and the listeners
 * {@link EpochSampleCheck}, {@link EventPublisher}, {@link LastEvaluation} and {@link
 * CheckpointEvents}.
 */
public final class StreamingRun {

  /** Each finished run leaves its summary in its run directory, for {@code replay} to compare. */
  public static final String SUMMARY_FILE = "summary.json";

  /** The manifest a run keeps in its run directory. */
  public static final String MANIFEST_FILE = ManifestFile.NAME;

  private final Map<String, Object> clientConfig;
  private final TopicSettings topicSettings;
  private final RunOptions options;
  private final TrainingListener listener;
  private final RunParts parts;

  /**
   * @param topicSettings replication and retention of the topics the run creates
   */
  public StreamingRun(
      Map<String, Object> clientConfig,
      TopicSettings topicSettings,
      RunOptions options,
      TrainingListener listener) {
    this(clientConfig, topicSettings, options, listener, RunParts.KAFKA);
  }

  /**
   * With the producers and the prefetch thread's records passing through {@code parts} (tests
   * inject failures).
   */
  StreamingRun(
      Map<String, Object> clientConfig,
      TopicSettings topicSettings,
      RunOptions options,
      TrainingListener listener,
      RunParts parts) {
    this.parts = parts;
    this.clientConfig = Map.copyOf(clientConfig);
    this.topicSettings = topicSettings;
    this.options = options;
    this.listener = listener;
  }

  /**
   * Trains the run; a failure, a background thread's included ({@link BackgroundThreadException}),
   * is published as a RUN_FINISHED event with outcome failed (diverged for a {@link
   * DivergedException}) before it is thrown. A checkpoint written before it stays, for {@code
   * --resume}.
   */
  public RunSummary run() {
    Nd4jRuntime.startLoading(); // overlaps the Kafka set-up
    CheckpointStore store =
        new CheckpointStore(options.runDirectory(), options.tuning().keepCheckpoints());
    RunStart start = RunStart.of(options, store);
    BackgroundFailures failures = new BackgroundFailures();
    try (Admin admin = Admin.create(clientConfig);
        DeadLetters deadLetters = new DeadLetters(parts, clientConfig, failures);
        EventPublisher events =
            new EventPublisher(
                parts,
                clientConfig,
                options.runId(),
                start.nextEventSequence(),
                start.position().epoch(),
                failures)) {
      try {
        deadLetters.reportingTo(
            (record, reason, total) ->
                events.publish(
                    EventKind.DEAD_LETTER,
                    EventPublisher.CURRENT_STEP,
                    Map.of(EventMetricNames.DEAD_LETTERS, (double) total),
                    Map.of(EventLabels.TOPIC, record.topic()),
                    record.topic()
                        + "-"
                        + record.partition()
                        + "@"
                        + record.offset()
                        + ": "
                        + reason));
        RunSetup.Prepared run =
            new RunSetup(clientConfig, topicSettings, options, parts).prepare(admin, start, events);
        return train(run, start, store, deadLetters, events, failures);
      } catch (RuntimeException | Error e) {
        String outcome =
            e instanceof DivergedException
                ? EventLabels.OUTCOME_DIVERGED
                : EventLabels.OUTCOME_FAILED;
        events.publish(
            EventKind.RUN_FINISHED,
            EventPublisher.CURRENT_STEP,
            Map.of(
                EventMetricNames.DEAD_LETTERS,
                (double) deadLetters.count(),
                EventMetricNames.PUBLISH_FAILURES,
                (double) events.publishFailures()),
            Map.of(EventLabels.OUTCOME, outcome),
            String.valueOf(e.getMessage()));
        // If Kafka is what failed, the events cannot go out: the user hears of the failure within
        // --timeout.
        events.closeWithin(options.tuning().timeout());
        throw e;
      }
    }
  }

  /** Reads the evaluation samples, wires the listeners to the loop, trains, and sums the run up. */
  private RunSummary train(
      RunSetup.Prepared run,
      RunStart start,
      CheckpointStore store,
      DeadLetters deadLetters,
      EventPublisher events,
      BackgroundFailures failures) {
    TrainingConfig config = run.config();
    String trainTopic = Topics.samples(run.dataset(), Split.train);
    List<TopicRange> train = RunManifests.rangesOf(run.manifest(), trainTopic);
    List<TopicRange> test =
        RunManifests.rangesOf(run.manifest(), Topics.samples(run.dataset(), Split.test));
    long samplesPerEpoch = CommittedRecords.count(clientConfig, train);
    if (samplesPerEpoch == 0) {
      throw new IllegalStateException(
          trainTopic + " holds no samples: ingest " + run.dataset() + " first");
    }
    DatasetCounts.check(run.info(), Split.train, samplesPerEpoch);
    Nd4jRuntime.load();
    BatchAssembler assembler = run.shape().assembler(config.dataType());
    SampleDecoder decoder = new SampleDecoder(run.shape(), deadLetters);
    List<SampleDecoder.Located> subset =
        decoder.decodeFirstLocated(clientConfig, train, config.eval().subset());
    Samples trainSubset =
        TrainingLoop.samples(assembler, subset.stream().map(SampleDecoder.Located::view).toList());
    SampleDecoder.DecodedRange testRange = decoder.decodeAll(clientConfig, test);
    DatasetCounts.check(run.info(), Split.test, testRange.records());
    Samples testSamples =
        testRange.samples().isEmpty()
            ? trainSubset
            : TrainingLoop.samples(assembler, testRange.samples());
    KafkaBatchSource batches =
        new KafkaBatchSource(
                clientConfig,
                train,
                samplesPerEpoch,
                config.batchSize(),
                config.seed(),
                config.shuffleBuffer(),
                options.tuning().prefetch(),
                Augmenter.of(config.augmentation(), config.seed()),
                assembler,
                decoder)
            .reportingTo(new BrokerWaitEvents(events))
            .failingWith(failures)
            .beforeDecoding(parts::reading)
            .readingAheadUpTo(config.epochs());
    int randomClasses = run.info().getRandomClasses();
    events.describing(
        Map.of(
            EventMetricNames.EPOCHS,
            (double) config.epochs(),
            EventMetricNames.SAMPLES_PER_EPOCH,
            (double) samplesPerEpoch,
            EventMetricNames.CLASSES,
            (double) run.shape().numClasses(),
            EventMetricNames.RANDOM_CLASSES,
            (double) randomClasses,
            EventMetricNames.RANDOM_LABEL_CHANCE,
            1.0 / randomClasses),
        batches::unread);

    TrainingPosition position = start.position();
    EpochSampleCheck sampleCheck =
        new EpochSampleCheck(trainTopic, samplesPerEpoch, deadLetters, position.step());
    LastEvaluation last = new LastEvaluation();
    long started = System.nanoTime();
    SampleEvaluationPublisher sampleResults =
        new SampleEvaluationPublisher(
            parts, clientConfig, options.runId(), subset, position.epoch(), failures);
    MultiHeadModel model;
    try (batches) {
      // The first epoch's reading (a whole-data-set shuffle needs all of it) overlaps building the
      // model.
      batches.startReading(position.epoch());
      model =
          new TrainingLoop(
                  config,
                  run.shape(),
                  batches,
                  trainSubset,
                  testSamples,
                  new Listeners(
                      List.of(
                          sampleCheck,
                          events,
                          listener,
                          last,
                          sampleResults,
                          new CheckpointEvents(store, events))),
                  options.tuning().logEvery(),
                  options.tuning().ratioEvery())
              .checkpointEvery(options.tuning().checkpointEvery())
              .run(
                  position, start.checkpoint().map(CheckpointStore.Checkpoint::state).orElse(null));
    } catch (RuntimeException | Error e) {
      // If Kafka is what failed, the results cannot go out: give up on them within --timeout.
      sampleResults.closeWithin(options.tuning().timeout());
      throw e;
    }
    sampleResults.close();
    // Nothing is counted that was not written: the summary waits for the last dead letters'
    // acknowledgements.
    deadLetters.awaitWritten();
    failures.throwIfAny();
    double seconds = (System.nanoTime() - started) / 1e9;
    long steps = sampleCheck.lastStep();
    long trainedPerEpoch = sampleCheck.trainedPerEpoch();
    double trainedSamples =
        (double) trainedPerEpoch * config.epochs() - (double) position.step() * config.batchSize();
    RunSummary summary =
        new RunSummary(
            options.runId(),
            run.dataset(),
            config.epochs(),
            steps,
            trainedPerEpoch,
            Math.max(0, trainedSamples) / seconds,
            batches.waitedSeconds(),
            deadLetters.count(),
            ParameterDigest.of(model),
            last.values());
    events.publish(
        EventKind.RUN_FINISHED,
        steps,
        Map.of(
            EventMetricNames.DEAD_LETTERS,
            (double) deadLetters.count(),
            EventMetricNames.SAMPLES_PER_SECOND,
            summary.samplesPerSecond(),
            EventMetricNames.PUBLISH_FAILURES,
            (double) events.publishFailures()),
        Map.of(EventLabels.OUTCOME, EventLabels.OUTCOME_SUCCEEDED),
        summary.parametersSha256());
    summary.writeJson(options.runDirectory().resolve(SUMMARY_FILE));
    return summary;
  }
}
