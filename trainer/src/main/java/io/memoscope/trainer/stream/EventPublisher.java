package io.memoscope.trainer.stream;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.HeadId;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.TrainingEventSerializer;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.HeadStepMetrics;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.train.Divergence;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a run's {@link TrainingEvent}s to {@code memoscope.events}, keyed by run id, numbered
 * 0, 1, 2, … so a consumer drops the duplicates a resume re-emits. Sending happens on a thread of
 * its own, so a broker outage never holds up training. A step or evaluation gives one event for the
 * run's own metrics and one per head, labelled with the head.
 */
public final class EventPublisher implements TrainingListener, AutoCloseable {

  /** For {@link #publish}: the latest step the run has published. */
  public static final long CURRENT_STEP = -1;

  private final BackgroundSender<String, TrainingEvent> sender;
  private final BackgroundFailures failures;
  private final String runId;
  private long sequence;
  private long lastStep;
  private int epoch = 1;
  private Map<String, Double> runFacts = Map.of();
  private LongSupplier consumerLag = () -> 0;

  /** Continues a run's events: a resumed run re-emits from its checkpoint's sequence number on. */
  public EventPublisher(
      Map<String, Object> clientConfig, String runId, long firstSequence, int epoch) {
    this(RunParts.KAFKA, clientConfig, runId, firstSequence, epoch, new BackgroundFailures());
  }

  /**
   * As above, with the run's producers from {@code parts} and its sender's failures reported to
   * {@code failures}.
   */
  EventPublisher(
      RunParts parts,
      Map<String, Object> clientConfig,
      String runId,
      long firstSequence,
      int epoch,
      BackgroundFailures failures) {
    Map<String, Object> config = OutageProofProducers.config(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.failures = failures;
    this.sender =
        new BackgroundSender<>(
            parts.producer(config, new StringSerializer(), new TrainingEventSerializer()),
            100_000,
            "memoscope-events-" + runId,
            failures);
    this.runId = runId;
    this.sequence = firstSequence;
    this.epoch = epoch;
  }

  /**
   * What the run-started event says about the run besides its step count (epochs, samples per
   * epoch, classes, random-label classes and their chance level), and where the consumer lag is
   * read.
   */
  public synchronized EventPublisher describing(Map<String, Double> facts, LongSupplier lag) {
    this.runFacts = Map.copyOf(facts);
    this.consumerLag = lag;
    return this;
  }

  /**
   * Records of the run (events and dead letters) not published so far: in the run's step and
   * RUN_FINISHED events as {@link EventMetricNames#PUBLISH_FAILURES}, so that a dashboard sees them
   * (the events that failed are, of course, not there to say so).
   */
  public long publishFailures() {
    return failures.publishFailures();
  }

  /** The sequence number the next event will get. */
  public synchronized long nextSequence() {
    return sequence;
  }

  /**
   * @param step the run's step count, or {@link #CURRENT_STEP} for the latest one published (for
   *     events from the reading thread, which does not know it)
   */
  public synchronized void publish(
      EventKind kind,
      long step,
      Map<String, Double> metrics,
      Map<String, String> labels,
      String message) {
    if (step == CURRENT_STEP) {
      step = lastStep;
    }
    lastStep = Math.max(lastStep, step);
    TrainingEvent event =
        TrainingEvent.newBuilder()
            .setRunId(runId)
            .setSequence(sequence++)
            .setTimestamp(Instant.now())
            .setKind(kind)
            .setEpoch(epoch)
            .setStep(step)
            .setMetrics(new LinkedHashMap<>(metrics))
            .setLabels(new LinkedHashMap<>(labels))
            .setMessage(message)
            .build();
    sender.send(new ProducerRecord<>(Topics.EVENTS, runId, event));
  }

  @Override
  public void onStart(String backend, long totalSteps) {
    Map<String, Double> metrics = new LinkedHashMap<>(runFacts);
    metrics.put(EventMetricNames.TOTAL_STEPS, (double) totalSteps);
    publish(EventKind.RUN_STARTED, 0, metrics, Map.of(), backend);
  }

  @Override
  public void onStep(StepMetrics metrics) {
    publish(
        EventKind.STEP,
        metrics.step(),
        Map.of(
            EventMetricNames.LOSS_CLASS,
            metrics.classLoss(),
            EventMetricNames.ACCURACY_TRAIN_RUNNING,
            metrics.trainAccuracy(),
            EventMetricNames.SAMPLES,
            (double) metrics.samples(),
            EventMetricNames.LEARNING_RATE,
            metrics.learningRate(),
            EventMetricNames.SAMPLES_PER_SECOND,
            metrics.samplesPerSecond(),
            EventMetricNames.CONSUMER_LAG,
            (double) consumerLag.getAsLong(),
            EventMetricNames.PUBLISH_FAILURES,
            (double) publishFailures()),
        Map.of(),
        null);
    for (HeadStepMetrics head : metrics.heads()) {
      publish(
          EventKind.STEP,
          metrics.step(),
          Map.of(
              EventMetricNames.LOSS_RANDOM,
              head.randomLoss(),
              EventMetricNames.LOSS_REGULARIZER,
              head.regularizerLoss(),
              EventMetricNames.LAMBDA,
              head.lambda(),
              EventMetricNames.RANDOM_LABEL_ACCURACY_RUNNING,
              head.runningAccuracy()),
          headLabels(head.head()),
          null);
    }
  }

  @Override
  public void onUpdateRatios(long step, Map<String, Double> ratios) {
    ratios.forEach(
        (layer, ratio) ->
            publish(
                EventKind.STEP,
                step,
                Map.of(EventMetricNames.UPDATE_RATIO, ratio),
                Map.of(EventLabels.LAYER, layer),
                null));
  }

  @Override
  public void onEvaluation(EvaluationMetrics metrics) {
    publish(
        EventKind.EVAL,
        metrics.step(),
        Map.of(
            EventMetricNames.ACCURACY_TRAIN,
            metrics.trainAccuracy(),
            EventMetricNames.ACCURACY_TEST,
            metrics.testAccuracy(),
            EventMetricNames.GENERALIZATION_GAP,
            metrics.generalizationGap()),
        Map.of(),
        null);
    for (HeadEvaluation head : metrics.heads()) {
      Map<String, Double> values = new LinkedHashMap<>();
      putAll(values, head.estimates());
      values.put(EventMetricNames.EVALUATED_SAMPLES, (double) head.train().trials());
      values.put(EventMetricNames.EVALUATED_SAMPLES_TEST, (double) head.test().trials());
      publish(EventKind.EVAL, metrics.step(), values, headLabels(head.head()), null);
    }
  }

  /**
   * One PROBE event per tap and labeling of the report (also what {@code memoscope probe}
   * publishes).
   */
  @Override
  public void onProbe(ProbeReport report) {
    for (ProbeResult result : report.results()) {
      Map<String, Double> values = new LinkedHashMap<>();
      putAll(values, result.estimates());
      values.put(EventMetricNames.PROBE_SAMPLES, (double) report.samples());
      publish(EventKind.PROBE, report.step(), values, headLabels(result.head()), report.source());
    }
  }

  /**
   * A DIVERGED event: labels name the term (and the head, for a head's term); the message says it
   * all.
   */
  @Override
  public void onDivergence(Divergence divergence) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(EventLabels.TERM, divergence.term());
    if (divergence.head() != null) {
      labels.putAll(headLabels(divergence.head()));
    }
    publish(EventKind.DIVERGED, divergence.step(), Map.of(), labels, divergence.describe());
  }

  /** Each estimate X as X, X_low and X_high. */
  private static void putAll(Map<String, Double> values, Map<String, Interval> estimates) {
    estimates.forEach(
        (name, interval) -> {
          values.put(name, interval.value());
          values.put(EventMetricNames.low(name), interval.low());
          values.put(EventMetricNames.high(name), interval.high());
        });
  }

  @Override
  public synchronized void onEpochEnd(int finished, long step, EpochTally tally) {
    publish(
        EventKind.EPOCH,
        step,
        Map.of(EventMetricNames.SAMPLES, (double) tally.samples()),
        Map.of(EventLabels.SAMPLE_DIGEST, tally.digestHex()),
        null);
    epoch = finished + 1;
  }

  /** {@code penultimate/0} → head, tap and labeling labels. */
  private static Map<String, String> headLabels(String head) {
    return HeadId.parse(head).labels();
  }

  @Override
  public void close() {
    sender.close();
  }

  /**
   * Closes, giving up on unsent events after {@code wait} (a failed run: see
   * BackgroundSender#closeWithin).
   */
  public void closeWithin(Duration wait) {
    sender.closeWithin(wait);
  }
}
