package io.memoscope.metrics;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.HeadId;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Runs synthetic events through the service's own topology before it reports ready, so that the
 * first real events meet compiled code instead of the interpreter (issue 11: from a cold JVM, the
 * first seconds of events waited over a second on {@code /metrics} while the JIT caught up).
 *
 * <p>The events take a real event's path, minus the network: the events topic's Avro serde, Kafka
 * Streams' task and its caching and change-logging stores, {@link EventsProcessor} with {@link
 * EventMapping}, the {@link RunMeta} JSON serde, and {@link LiveRuns}, whose registry is scraped
 * now and then as {@code /metrics} is. It all runs in a {@link TopologyTestDriver} on a private
 * {@link LiveRuns} and registry: nothing is published (the driver's producer is a mock), and
 * nothing reaches the service's own registry, stores or topics.
 */
final class PipelineWarmup {

  /** Synthetic events per warm-up: enough for the JIT's optimizing tier to compile the hot path. */
  static final int DEFAULT_EVENTS = 20_000;

  /** Runs the synthetic events are spread over (each has its own series, as concurrent runs do). */
  private static final int RUNS = 4;

  /** A scrape of the private registry every this many events. */
  private static final int SCRAPE_EVERY = 250;

  private PipelineWarmup() {}

  /**
   * What a warm-up did.
   *
   * @param applied synthetic events the topology applied (all of them, unless the path is broken)
   * @param scrapes scrapes of the private registry
   * @param scrapedBytes their total size, so that the JIT cannot drop the work as unused
   */
  record Result(long applied, int scrapes, long scrapedBytes) {}

  /**
   * The Kafka Streams application id of the warm-up's driver: its directory in the state directory.
   */
  static final String APPLICATION_ID = "memoscope-metrics-warmup";

  /**
   * Runs {@code events} synthetic events through the topology; stops early if its thread is
   * interrupted.
   *
   * @param stateDir the service's state directory: the driver keeps its (empty) task directory in
   *     {@value #APPLICATION_ID} there, beside the service's own, and it is deleted afterwards
   */
  static Result run(int events, Path stateDir) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      LiveRuns live = new LiveRuns(registry);
      MetricsConfig config =
          MetricsConfig.defaults(new KafkaConnection("127.0.0.1:1", Map.of()), stateDir)
              .withApplicationId(APPLICATION_ID);
      int scrapes = 0;
      long scrapedBytes = 0;
      try (TopologyTestDriver driver =
          new TopologyTestDriver(
              MetricsTopology.build(live, config.retention(), config.maintenanceInterval()),
              config.streamsProperties(live),
              Instant.EPOCH)) {
        TestInputTopic<String, TrainingEvent> input =
            driver.createInputTopic(
                Topics.EVENTS,
                new StringSerializer(),
                MemoscopeSerdes.trainingEvent().serializer());
        for (int i = 0; i < events && !Thread.currentThread().isInterrupted(); i++) {
          String run = "memoscope-warmup-" + (i % RUNS);
          TrainingEvent event = event(run, i / RUNS);
          input.pipeInput(run, event, event.getTimestamp());
          if (i % SCRAPE_EVERY == SCRAPE_EVERY - 1) {
            scrapedBytes += registry.scrape().length();
            scrapes++;
          }
        }
      }
      long applied =
          (long)
              registry.find("memoscope_events").counters().stream()
                  .mapToDouble(Counter::count)
                  .sum();
      return new Result(applied, scrapes, scrapedBytes);
    } finally {
      registry.close();
      delete(stateDir.resolve(APPLICATION_ID));
    }
  }

  /** Mostly STEP events shaped like the trainer's, with the other kinds now and then. */
  private static TrainingEvent event(String run, int sequence) {
    EventKind kind;
    Map<String, Double> metrics = new HashMap<>();
    Map<String, String> labels = Map.of();
    if (sequence == 0) {
      kind = EventKind.RUN_STARTED;
      metrics.put(EventMetricNames.RANDOM_LABEL_CHANCE, 0.1);
    } else if (sequence % 100 == 0) {
      kind = EventKind.EVAL;
      metrics.put(EventMetricNames.ACCURACY_TRAIN, 0.5);
      metrics.put(EventMetricNames.ACCURACY_TEST, 0.4);
      metrics.put(EventMetricNames.GENERALIZATION_GAP, 0.1);
    } else if (sequence % 50 == 0) {
      kind = EventKind.STEP;
      labels = new HeadId("penultimate", 0).labels();
      metrics.put(EventMetricNames.LOSS_RANDOM, 2.0);
      metrics.put(EventMetricNames.LAMBDA, 0.1);
      metrics.put(EventMetricNames.RANDOM_LABEL_ACCURACY_RUNNING, 0.1);
    } else {
      kind = EventKind.STEP;
      metrics.put(EventMetricNames.LOSS_CLASS, 1.0 / sequence);
      metrics.put(EventMetricNames.ACCURACY_TRAIN_RUNNING, 0.5);
      metrics.put(EventMetricNames.LEARNING_RATE, 0.01);
      metrics.put(EventMetricNames.SAMPLES_PER_SECOND, 1000.0);
      metrics.put(EventMetricNames.CONSUMER_LAG, 10.0);
    }
    return TrainingEvent.newBuilder()
        .setRunId(run)
        .setSequence(sequence)
        .setTimestamp(Instant.ofEpochMilli(sequence))
        .setKind(kind)
        .setEpoch(0)
        .setStep(sequence)
        .setMetrics(metrics)
        .setLabels(labels)
        .setMessage(null)
        .build();
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover empty directory in the temporary folder is harmless
    }
  }
}
