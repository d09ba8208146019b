package io.memoscope.metrics;

import static io.memoscope.metrics.Events.event;
import static io.memoscope.metrics.Events.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service on a real (embedded) broker: events produced by a real producer show on
 * /metrics over HTTP, a fresh instance with an empty state directory rebuilds the same values, and
 * a run's history comes back as JSON and as OpenMetrics that promtool accepts.
 */
class MetricsServiceTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  final List<MetricsService> services = new ArrayList<>();

  @AfterEach
  void stopServices() {
    services.forEach(MetricsService::close);
  }

  MetricsService start(String applicationId, String stateDir) {
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()), temp.resolve(stateDir))
            .withApplicationId(applicationId)
            .withHttp("127.0.0.1", 0);
    MetricsService service = new MetricsService(config).start();
    services.add(service);
    return service;
  }

  @Test
  void producedEventsShowOnMetricsAndAFreshInstanceRebuildsThem() throws Exception {
    MetricsService first = start("e2e-rebuild", "state-1");
    String run = "e2e-run";
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    send(
        Topics.RUNS,
        run,
        Events.manifest(run, "fashion"),
        MemoscopeSerdes.runManifest().serializer());
    send(
        Topics.DATASETS,
        "fashion",
        Events.dataset("fashion", 600, t0),
        MemoscopeSerdes.datasetInfo().serializer());
    TopicAdmin.createTopic(
        Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new NewTopic("samples.fashion.train.dlq", 1, (short) 1),
        TopicAdmin.IfExists.USE_EXISTING,
        TIMEOUT);
    send(
        "samples.fashion.train.dlq",
        "7",
        "broken image".getBytes(StandardCharsets.UTF_8),
        new ByteArraySerializer());

    List<TrainingEvent> events = new ArrayList<>();
    events.add(
        event(
            run, 0, t0, EventKind.RUN_STARTED, 0, 0, Map.of("random_label_chance", 0.1), Map.of()));
    for (int i = 1; i <= 20; i++) {
      events.add(
          event(
              run,
              events.size(),
              t0.plusMillis(i * 10),
              EventKind.STEP,
              0,
              i,
              Map.of(
                  "loss_class",
                  3.0 - i * 0.1,
                  "learning_rate",
                  0.01,
                  "samples_per_second",
                  100.0 + i),
              Map.of()));
      events.add(
          event(
              run,
              events.size(),
              t0.plusMillis(i * 10),
              EventKind.STEP,
              0,
              i,
              Map.of(
                  "random_label_accuracy_running",
                  0.1 + i * 0.01,
                  "lambda",
                  0.0,
                  "loss_random",
                  2.3),
              head("penultimate", "0")));
    }
    events.add(
        event(
            run,
            events.size(),
            t0.plusMillis(300),
            EventKind.CHECKPOINT,
            0,
            20,
            Map.of(),
            Map.of()));
    Map<String, Double> eval = new java.util.HashMap<>();
    Events.estimate(eval, EventMetricNames.RANDOM_LABEL_ACCURACY, 0.3, 0.02);
    Events.estimate(eval, EventMetricNames.MEMORIZATION_INDEX, 0.22, 0.03);
    Events.estimate(eval, EventMetricNames.RANDOM_LABEL_ACCURACY_TEST, 0.1, 0.02);
    eval.put(EventMetricNames.EVALUATED_SAMPLES, 2000.0);
    events.add(
        event(
            run,
            events.size(),
            t0.plusMillis(310),
            EventKind.EVAL,
            0,
            20,
            eval,
            head("penultimate", "0")));
    events.add(
        Events.probe(run, events.size(), t0.plusMillis(320), 0, 20, "penultimate", "0", 0.4, 0.1));
    List<TrainingEvent> duplicates = List.of(events.get(5), events.get(41));
    sendEvents(events);
    sendEvents(duplicates);
    send(Topics.EVENTS, run, new byte[] {1, 2, 3}, new ByteArraySerializer());

    Map<String, String> labels = Map.of("run", run, "dataset", "fashion");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              String metrics = Http.body(first.url() + "/metrics");
              assertThat(PrometheusText.value(metrics, "memoscope_step", labels)).contains(20.0);
              assertThat(PrometheusText.value(metrics, "memoscope_checkpoints_total", labels))
                  .contains(1.0);
              assertThat(PrometheusText.value(metrics, "memoscope_memorization_index", labels))
                  .contains(0.22);
              assertThat(
                      PrometheusText.value(
                          metrics,
                          "memoscope_probe_random_label_accuracy",
                          with(labels, "split", "test")))
                  .contains(0.1);
              assertThat(
                      PrometheusText.value(metrics, "memoscope_events_duplicate_total", Map.of()))
                  .contains(2.0);
              assertThat(
                      PrometheusText.value(
                          metrics,
                          "memoscope_events_invalid_total",
                          Map.of("reason", "not_single_object")))
                  .contains(1.0);
              assertThat(
                      PrometheusText.value(
                          metrics,
                          "memoscope_dead_letter_records_total",
                          Map.of("topic", "samples.fashion.train.dlq")))
                  .contains(1.0);
              assertThat(
                      PrometheusText.value(
                          metrics,
                          "memoscope_ingest_records",
                          Map.of("dataset", "fashion", "split", "train")))
                  .contains(600.0);
            });
    String metrics = Http.body(first.url() + "/metrics");
    assertThat(PrometheusText.value(metrics, "memoscope_loss", Map.of("run", run, "term", "class")))
        .hasValueSatisfying(
            v -> assertThat(v).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9)));
    assertThat(
            PrometheusText.value(
                metrics, "memoscope_run_info", Map.of("run", run, "model", "small-cnn")))
        .contains(1.0);
    // The start-up warm-up (on by default) left no run and no count behind.
    assertThat(metrics).doesNotContain("memoscope-warmup");
    // (The events topic holds this class's other tests' events too; the warm-up's would be
    // thousands more.)
    assertThat(PrometheusText.value(metrics, "memoscope_events_total", Map.of("kind", "STEP")))
        .hasValueSatisfying(v -> assertThat(v).isBetween(40.0, 1_000.0));
    // The Kafka Streams client and the JVM are measured too.
    assertThat(metrics)
        .contains("kafka_stream_thread_")
        .contains("kafka_consumer_")
        .contains("jvm_memory_used_bytes");
    await().atMost(TIMEOUT).until(() -> Http.get(first.url() + "/readyz").statusCode() == 200);
    assertThat(Http.get(first.url() + "/healthz").statusCode()).isEqualTo(200);

    JsonNode runs = JSON.readTree(Http.body(first.url() + "/api/runs"));
    JsonNode listed = null;
    for (JsonNode r : runs) {
      if (r.get("run").asText().equals(run)) {
        listed = r;
      }
    }
    assertThat(listed).as(runs.toString()).isNotNull();
    assertThat(listed.get("config").get("model").asText()).isEqualTo("small-cnn");
    assertThat(listed.get("lastSequence").asLong()).isEqualTo(events.size() - 1);
    assertIntervalsAreListed(listed);
    JsonNode one = JSON.readTree(Http.body(first.url() + "/api/runs/" + run));
    assertThat(one.get("series")).hasSize(events.size());
    assertThat(one.get("latest").toString()).contains("memoscope_memorization_index");
    assertIntervalsAreListed(one);
    // the history has the events' every metric, intervals and probe values included
    JsonNode probe = one.get("series").get(events.size() - 1);
    assertThat(probe.get("kind").asText()).isEqualTo("PROBE");
    assertThat(probe.get("message").asText()).isEqualTo("checkpoint step-000000000020.ckpt");
    assertThat(probe.get("labels").get("head").asText()).isEqualTo("penultimate/0");
    assertThat(
            probe
                .get("metrics")
                .get(EventMetricNames.low(EventMetricNames.PROBE_DIFFERENCE))
                .asDouble())
        .isCloseTo(0.27, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(probe.get("metrics").get(EventMetricNames.PROBE_SAMPLES).asDouble())
        .isEqualTo(500.0);
    assertThat(
            one.get("series")
                .get(events.size() - 2)
                .get("metrics")
                .get(EventMetricNames.high(EventMetricNames.RANDOM_LABEL_ACCURACY))
                .asDouble())
        .isCloseTo(0.32, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Http.get(first.url() + "/api/runs/no-such-run").statusCode()).isEqualTo(404);

    List<String> before = runSamples(metrics, run);
    first.close();
    services.remove(first);

    // A fresh instance: same application id, empty state directory. It restores the stores from
    // their changelogs and shows the same values.
    MetricsService second = start("e2e-rebuild", "state-2");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(runSamples(Http.body(second.url() + "/metrics"), run))
                    .isEqualTo(before));
    await().atMost(TIMEOUT).until(() -> Http.get(second.url() + "/readyz").statusCode() == 200);
    // the interval bounds, which are not on /metrics, were restored too
    assertIntervalsAreListed(JSON.readTree(Http.body(second.url() + "/api/runs/" + run)));
    // It goes on from there, still de-duplicating.
    sendEvents(
        List.of(
            events.get(3),
            event(
                run,
                events.size(),
                t0.plusMillis(400),
                EventKind.CHECKPOINT,
                0,
                21,
                Map.of(),
                Map.of())));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              String now = Http.body(second.url() + "/metrics");
              assertThat(PrometheusText.value(now, "memoscope_checkpoints_total", labels))
                  .contains(2.0);
              assertThat(PrometheusText.value(now, "memoscope_events_duplicate_total", Map.of()))
                  .contains(1.0);
            });
  }

  @Test
  void readyWaitsForTheWarmUp() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()),
                temp.resolve("state-warmup"))
            .withApplicationId("e2e-warmup")
            .withHttp("127.0.0.1", 0);
    MetricsService service =
        new MetricsService(
                config,
                () -> {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .start();
    services.add(service);

    // Kafka Streams gets going meanwhile; only the unfinished warm-up holds readiness back.
    await()
        .atMost(TIMEOUT)
        .until(() -> service.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    HttpResponse<String> warming = Http.get(service.url() + "/readyz");
    assertThat(warming.statusCode()).isEqualTo(503);
    assertThat(warming.body()).isEqualTo("not ready: warming up\n");
    assertThat(Http.get(service.url() + "/healthz").statusCode()).isEqualTo(200);

    release.countDown();
    await().atMost(TIMEOUT).until(() -> Http.get(service.url() + "/readyz").statusCode() == 200);
  }

  @Test
  void closingTheServiceStopsItsWarmUp() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()),
                temp.resolve("state-warmup-closed"))
            .withApplicationId("e2e-warmup-closed")
            .withHttp("127.0.0.1", 0);
    MetricsService service =
        new MetricsService(
                config,
                () -> {
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                  }
                })
            .start();
    service.close();
    assertThat(interrupted.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFailingWarmUpDoesNotKeepTheServiceFromReady() {
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()),
                temp.resolve("state-warmup-fails"))
            .withApplicationId("e2e-warmup-fails")
            .withHttp("127.0.0.1", 0);
    MetricsService service =
        new MetricsService(
                config,
                () -> {
                  throw new IllegalStateException("warm-up broke");
                })
            .start();
    services.add(service);
    await().atMost(TIMEOUT).until(() -> Http.get(service.url() + "/readyz").statusCode() == 200);
  }

  @Test
  void aRunsHistoryAsOpenMetricsIsAcceptedByPromtool() throws Exception {
    MetricsService service = start("e2e-openmetrics", "state-om");
    String run = "om-run";
    Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);
    send(
        Topics.RUNS,
        run,
        Events.manifest(run, "fashion"),
        MemoscopeSerdes.runManifest().serializer());
    List<TrainingEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(
          event(
              run,
              events.size(),
              t0.plusSeconds(i),
              EventKind.STEP,
              0,
              i,
              Map.of("loss_class", 2.0 / (i + 1), "accuracy_train_running", i / 30.0),
              Map.of()));
      // Two events in the same millisecond: the later one wins, no duplicate sample.
      events.add(
          event(
              run,
              events.size(),
              t0.plusSeconds(i),
              EventKind.STEP,
              0,
              i,
              Map.of("random_label_accuracy_running", 0.1, "loss_random", 2.3),
              head("penultimate", "0")));
    }
    events.add(
        event(
            run,
            events.size(),
            t0.plusSeconds(31),
            EventKind.CHECKPOINT,
            0,
            30,
            Map.of(),
            Map.of()));
    events.add(
        Events.probe(run, events.size(), t0.plusSeconds(31), 0, 30, "penultimate", "0", 0.4, 0.1));
    events.add(
        event(
            run,
            events.size(),
            t0.plusSeconds(32),
            EventKind.RUN_FINISHED,
            0,
            30,
            Map.of("dead_letters", 0.0),
            Map.of("outcome", "succeeded")));
    sendEvents(events);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Http.get(service.url() + "/api/runs/" + run).statusCode() == 200
                    && JSON.readTree(Http.body(service.url() + "/api/runs/" + run))
                            .get("series")
                            .size()
                        == events.size());

    String text = Http.body(service.url() + "/api/runs/" + run + "/openmetrics");
    assertThat(text)
        .startsWith("# TYPE ")
        .endsWith("# EOF\n")
        .contains("# TYPE memoscope_checkpoints counter")
        .contains("memoscope_checkpoints_total{run=\"om-run\",dataset=\"fashion\"} 1 ")
        .contains(
            "memoscope_loss{run=\"om-run\",dataset=\"fashion\",term=\"class\",head=\"\",tap=\"\",labeling=\"\"} 2 ")
        .contains("# TYPE memoscope_probe_random_label_accuracy gauge")
        .contains(
            "memoscope_probe_random_label_accuracy{run=\"om-run\",dataset=\"fashion\",head=\"penultimate/0\","
                + "tap=\"penultimate\",labeling=\"0\",split=\"train\"} 0.4 ")
        .doesNotContain("_bounds");
    long lossSamples =
        text.lines()
            .filter(l -> l.startsWith("memoscope_loss{") && l.contains("term=\"class\""))
            .count();
    assertThat(lossSamples).isEqualTo(30);

    Path promtool =
        Stream.of(System.getenv("PATH").split(":"))
            .map(dir -> Path.of(dir, "promtool"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    assertThat(promtool)
        .as("promtool (Debian's prometheus package; test.sh installs it) is not on the PATH")
        .isNotNull();
    Path input = Files.writeString(temp.resolve("run.om"), text);
    Path blocks = Files.createDirectories(temp.resolve("blocks"));
    Process process =
        new ProcessBuilder(
                promtool.toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                input.toString(),
                blocks.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    try (Stream<Path> made = Files.list(blocks)) {
      assertThat(made.filter(Files::isDirectory).count()).as(output).isPositive();
    }
    // promtool silently drops out-of-order samples: every sample line must be in a block.
    long lines = text.lines().filter(l -> !l.startsWith("#")).count();
    long stored =
        output
            .lines()
            .filter(l -> l.matches("^[0-9A-Z]{26}\\s.*"))
            .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[4]))
            .sum();
    assertThat(stored).as(output).isEqualTo(lines);
  }

  @Test
  void theLivePageIsServedAndARunsSeriesIsReadIncrementally() throws Exception {
    MetricsService service = start("page-routes", "state-page");
    String url = service.url();
    String run = "page-run";
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<TrainingEvent> events = new ArrayList<>();
    events.add(
        event(
            run, 0, t0, EventKind.RUN_STARTED, 0, 0, Map.of("random_label_chance", 0.1), Map.of()));
    for (int i = 1; i <= 5; i++) {
      events.add(
          event(
              run, i, t0.plusMillis(i), EventKind.STEP, 1, i, Map.of("loss_class", 2.0), Map.of()));
    }
    sendEvents(events);

    HttpResponse<String> page = Http.get(url + "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.body()).contains("assets/uplot.js", "page/page.js", "page/page.css");
    assertThat(page.body())
        .doesNotContain("http://", "https://"); // everything comes from this service
    Map<String, String> files =
        Map.of(
            "/page/page.js",
            "text/javascript; charset=utf-8",
            "/page/page.css",
            "text/css; charset=utf-8",
            "/assets/uplot.js",
            "text/javascript; charset=utf-8",
            "/assets/uplot.css",
            "text/css; charset=utf-8");
    files.forEach(
        (path, type) -> {
          HttpResponse<String> file = Http.get(url + path);
          assertThat(file.statusCode()).as(path).isEqualTo(200);
          assertThat(file.headers().firstValue("Content-Type")).as(path).contains(type);
          assertThat(file.body()).as(path).isNotBlank();
        });
    assertThat(Http.body(url + "/assets/uplot.js")).contains("uPlot");
    for (String missing :
        List.of(
            "/page/nope.js",
            "/page/",
            "/page/index.txt",
            "/page/..%2FPageAssets.class",
            "/page/%2e%2e/%2e%2e/MetricsService.class",
            "/assets/uPlot.iife.js",
            "/assets/..%2F..%2FLICENSE",
            "/favicon.ico",
            "/webjars/uplot/1.6.30/LICENSE")) {
      assertThat(Http.get(url + missing).statusCode()).as(missing).isEqualTo(404);
    }

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        JSON.readTree(Http.body(url + "/api/runs/" + run + "/series"))
                            .get("events"))
                    .hasSize(6));
    JsonNode all = JSON.readTree(Http.body(url + "/api/runs/" + run + "/series?after=-1"));
    assertThat(all.get("lastSequence").asLong()).isEqualTo(5);
    assertThat(all.get("more").asBoolean()).isFalse();
    assertThat(all.get("events").get(0).get("kind").asText()).isEqualTo("RUN_STARTED");
    assertThat(all.get("events").get(0).get("metrics").get("random_label_chance").asDouble())
        .isEqualTo(0.1);
    assertThat(sequences(Http.body(url + "/api/runs/" + run + "/series?after=3")))
        .containsExactly(4L, 5L);

    // appended events (no duplicates here: the other tests' fresh services count every duplicate on
    // the topic)
    sendEvents(
        List.of(
            event(
                run,
                6,
                t0.plusMillis(6),
                EventKind.STEP,
                1,
                6,
                Map.of("loss_class", 1.9),
                Map.of()),
            event(
                run,
                7,
                t0.plusMillis(7),
                EventKind.STEP,
                1,
                7,
                Map.of("loss_class", 1.8),
                Map.of())));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(sequences(Http.body(url + "/api/runs/" + run + "/series?after=5")))
                    .containsExactly(6L, 7L));
    assertThat(sequences(Http.body(url + "/api/runs/" + run + "/series")))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    // the same events as the whole-history endpoint
    assertThat(JSON.readTree(Http.body(url + "/api/runs/" + run)).get("series")).hasSize(8);

    assertThat(Http.get(url + "/api/runs/" + run + "/series?after=x").statusCode()).isEqualTo(400);
    assertThat(Http.get(url + "/api/runs/no-such-run/series").statusCode()).isEqualTo(404);
    assertThat(Http.get(url + "/api/runs/bad.id/series").statusCode()).isEqualTo(400);
  }

  /**
   * The run's "latest" (of /api/runs or /api/runs/{id}) shows the sent estimates with their
   * intervals.
   */
  private static void assertIntervalsAreListed(JsonNode run) {
    Map<String, double[]> intervals = new java.util.HashMap<>();
    for (JsonNode series : run.get("latest")) {
      if (series.has("low")) {
        JsonNode labels = series.get("labels");
        String key =
            series.get("name").asText()
                + " "
                + labels.path("mode").asText()
                + " "
                + labels.path("split").asText();
        intervals.put(
            key,
            new double[] {
              series.get("low").asDouble(),
              series.get("value").asDouble(),
              series.get("high").asDouble()
            });
      }
    }
    assertThat(intervals)
        .as(run.toString())
        .containsOnlyKeys(
            "memoscope_random_label_accuracy evaluated train",
                "memoscope_random_label_accuracy evaluated test",
            "memoscope_memorization_index  ", "memoscope_probe_random_label_accuracy  train",
            "memoscope_probe_random_label_accuracy  test", "memoscope_probe_memorization_index  ");
    assertThat(intervals.get("memoscope_random_label_accuracy evaluated train"))
        .containsExactly(new double[] {0.28, 0.3, 0.32}, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(intervals.get("memoscope_probe_random_label_accuracy  train"))
        .containsExactly(new double[] {0.38, 0.4, 0.42}, org.assertj.core.data.Offset.offset(1e-9));
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> merged = new java.util.HashMap<>(labels);
    merged.put(key, value);
    return merged;
  }

  private static List<Long> sequences(String seriesJson) throws Exception {
    List<Long> sequences = new ArrayList<>();
    JSON.readTree(seriesJson).get("events").forEach(e -> sequences.add(e.get("sequence").asLong()));
    return sequences;
  }

  /** The run's own samples, sorted, as text lines (name, labels, value). */
  static List<String> runSamples(String metrics, String run) {
    return PrometheusText.parse(metrics).stream()
        .filter(s -> run.equals(s.labels().get("run")))
        .map(s -> s.name() + new java.util.TreeMap<>(s.labels()) + " " + s.value())
        .sorted()
        .collect(Collectors.toList());
  }

  void sendEvents(List<TrainingEvent> events) {
    Produce.events(kafka.bootstrapServers(), events);
  }

  <V> void send(String topic, String key, V value, Serializer<V> serializer) {
    Produce.record(kafka.bootstrapServers(), topic, key, value, serializer);
  }
}
