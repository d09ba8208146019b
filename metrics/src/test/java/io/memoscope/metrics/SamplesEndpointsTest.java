package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-sample endpoints end to end on a real broker: synthetic evaluations and images produced
 * to their topics, the service's answers over HTTP, every refusal, {@code /metrics}, and the same
 * answers from a fresh instance that rebuilt its state from the changelogs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplesEndpointsTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HEAD = "penultimate/0";
  static final String OTHER = "logits/1";

  @TempDir static Path temp;

  final SampleEvaluations run = new SampleEvaluations("s1", "digits", 5, List.of(HEAD, OTHER));
  final List<MetricsService> services = new ArrayList<>();
  MetricsService service;

  @BeforeAll
  void produce() {
    service = start("state-1");
    String bootstrap = kafka.bootstrapServers();
    Produce.record(
        bootstrap,
        Topics.RUNS,
        "s1",
        Events.manifest("s1", "digits"),
        MemoscopeSerdes.runManifest().serializer());
    TopicAdmin.createTopic(
        Map.of("bootstrap.servers", bootstrap),
        new NewTopic(Topics.samples("digits", Split.train), 1, (short) 1),
        TopicAdmin.IfExists.USE_EXISTING,
        TIMEOUT);
    run.produceImages(bootstrap, 20);
    Produce.events(
        bootstrap,
        List.of(
            Events.event(
                "s1", 0, SampleEvaluations.T0, EventKind.RUN_STARTED, 0, 0, Map.of(), Map.of())));
    // The evaluations of SampleTimelinesTest (their answers are worked out there), with the probe
    // of aProbeCountsOnlyTheEvaluationsItRanAt, step 300 first evaluated otherwise and then again,
    // as by a resumed run.
    SampleEvaluations.produce(
        bootstrap,
        List.of(
            run.at(100, "11001", "10110", "00000"),
            run.probed(run.at(200, "01100", "10110", "00000"), HEAD, "11100"),
            run.at(300, "00000", "00000", "11111"),
            run.at(300, "11000", "00110", "00000"),
            run.probed(run.at(400, "01000", "10110", "11111"), HEAD, "01110"),
            run.probed(run.at(500, "11100", "11010", "11111"), HEAD, "11010"),
            // a run without a manifest: its images cannot be found
            new SampleEvaluations("s2", "digits", 2, List.of(HEAD)).at(100, "10", "01")));
    awaitEvaluations(service, "s1", 5);
  }

  @AfterAll
  void stopServices() {
    services.forEach(MetricsService::close);
  }

  MetricsService start(String stateDir) {
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()), temp.resolve(stateDir))
            .withApplicationId("samples-endpoints")
            .withHttp("127.0.0.1", 0);
    MetricsService started = new MetricsService(config, null).start();
    services.add(started);
    return started;
  }

  static void awaitEvaluations(MetricsService service, String run, int evaluations) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  Http.get(service.url() + "/api/runs/" + run + "/samples");
              assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
              assertThat(JSON.readTree(response.body()).path("evaluations").asInt())
                  .isEqualTo(evaluations);
            });
  }

  JsonNode get(String path) throws IOException {
    return JSON.readTree(Http.body(service.url() + path));
  }

  static List<Long> indices(JsonNode list) {
    List<Long> indices = new ArrayList<>();
    list.path("samples").forEach(row -> indices.add(row.path("index").asLong()));
    return indices;
  }

  @Test
  void theSamplesOfAHeadAreOrderedByOnsetOrByForgettingAndFiltered() throws IOException {
    // subset indices 10, 12, 14, 16, 18; onsets 400, 500, none, 100, none; forgetting 2, 0, 1, 0, 1
    JsonNode list = get("/api/runs/s1/samples");
    assertThat(list.path("run").asText()).isEqualTo("s1");
    assertThat(list.path("dataset").asText()).isEqualTo("digits");
    assertThat(list.path("head").asText()).isEqualTo(HEAD);
    assertThat(list.path("heads").toString()).isEqualTo("[\"penultimate/0\",\"logits/1\"]");
    assertThat(list.path("subsetSize").asInt()).isEqualTo(5);
    assertThat(list.path("lastStep").asLong()).isEqualTo(500);
    assertThat(list.path("order").asText()).isEqualTo("onset");
    assertThat(list.path("limit").asInt()).isEqualTo(SamplesApi.DEFAULT_LIMIT);
    assertThat(list.path("matching").asInt()).isEqualTo(5);
    assertThat(list.path("groups").toString())
        .isEqualTo(
            "{\"right_memorized\":2,\"right_not_memorized\":1,\"wrong_memorized\":1,"
                + "\"wrong_not_memorized\":1}");
    assertThat(list.path("memorizedByClass").toString())
        .isEqualTo(
            "[{\"class\":0,\"samples\":3,\"memorized\":1,\"fraction\":0.3333333333333333},"
                + "{\"class\":1,\"samples\":2,\"memorized\":2,\"fraction\":1.0}]");
    assertThat(indices(list)).containsExactly(16L, 10L, 12L, 14L, 18L);
    assertThat(list.path("samples").get(0).toString())
        .isEqualTo(
            "{\"index\":16,\"class\":1,\"randomLabel\":"
                + run.randomLabel(HEAD, 3)
                + ",\"onsetStep\":100,\"forgetting\":0,\"classRight\":false,\"memorized\":true,"
                + "\"image\":\"/api/runs/s1/samples/16.png\"}");
    assertThat(list.path("samples").get(3).path("onsetStep").isNull()).isTrue();

    assertThat(indices(get("/api/runs/s1/samples?order=forgetting")))
        .containsExactly(10L, 14L, 18L, 12L, 16L);
    assertThat(indices(get("/api/runs/s1/samples?filter=memorized")))
        .containsExactly(16L, 10L, 12L);
    assertThat(indices(get("/api/runs/s1/samples?filter=never"))).containsExactly(18L);
    assertThat(indices(get("/api/runs/s1/samples?filter=misclassified-memorized")))
        .containsExactly(16L);
    JsonNode limited = get("/api/runs/s1/samples?limit=2&order=forgetting");
    assertThat(indices(limited)).containsExactly(10L, 14L);
    assertThat(limited.path("matching").asInt()).isEqualTo(5);
    JsonNode other = get("/api/runs/s1/samples?head=" + OTHER);
    assertThat(indices(other)).containsExactly(10L, 12L, 14L, 16L, 18L);
    assertThat(other.path("samples").findValuesAsText("onsetStep")).containsOnly("400");
  }

  @Test
  void aSamplesTimelineHasEveryEvaluatedStepOnceWithTheLatestRecordOfEach() throws IOException {
    JsonNode sample = get("/api/runs/s1/samples/10");
    assertThat(sample.path("index").asLong()).isEqualTo(10);
    assertThat(sample.path("class").asInt()).isZero();
    assertThat(sample.path("evaluations").asInt()).isEqualTo(5);
    assertThat(sample.path("forgetting").asInt()).isEqualTo(2);
    assertThat(sample.path("heads").path(HEAD).path("onsetStep").asLong()).isEqualTo(400);
    assertThat(sample.path("heads").path(HEAD).path("randomLabel").asInt())
        .isEqualTo(run.randomLabel(HEAD, 0));
    assertThat(sample.path("heads").path(OTHER).path("memorized").asBoolean()).isTrue();
    JsonNode timeline = sample.path("timeline");
    assertThat(timeline.findValuesAsText("step"))
        .containsExactly("100", "200", "300", "400", "500");
    assertThat(timeline.findValuesAsText("classRight"))
        .containsExactly("true", "false", "true", "false", "true");
    List<String> head = new ArrayList<>();
    timeline.forEach(point -> head.add(point.path("heads").path(HEAD).asText()));
    assertThat(head).containsExactly("true", "true", "false", "true", "true");
    assertThat(timeline.get(0).path("timestamp").asText())
        .isEqualTo(SampleEvaluations.T0.plusSeconds(100).toString());
  }

  @Test
  void aProbeIsListedAndChosenLikeAHeadOverTheEvaluationsItRanAt() throws IOException {
    String probe = "probe:" + HEAD;
    JsonNode list = get("/api/runs/s1/samples?head=" + probe);
    assertThat(list.path("head").asText()).isEqualTo(probe);
    assertThat(list.path("heads").toString()).isEqualTo("[\"penultimate/0\",\"logits/1\"]");
    assertThat(list.path("probes").toString()).isEqualTo("[\"probe:penultimate/0\"]");
    assertThat(list.path("evaluations").asInt()).isEqualTo(5);
    assertThat(list.path("headEvaluations").asInt()).isEqualTo(3);
    assertThat(list.path("headLastStep").asLong()).isEqualTo(500);
    // onsets 500, 200, none, 400, none for indices 10, 12, 14, 16, 18
    assertThat(indices(list)).containsExactly(12L, 16L, 10L, 14L, 18L);
    assertThat(list.path("samples").get(0).path("randomLabel").asInt())
        .isEqualTo(run.randomLabel(HEAD, 1));
    assertThat(indices(get("/api/runs/s1/samples?filter=never&head=" + probe)))
        .containsExactly(18L);

    JsonNode sample = get("/api/runs/s1/samples/10");
    assertThat(sample.path("heads").path(probe).path("onsetStep").asLong()).isEqualTo(500);
    assertThat(sample.path("heads").path(probe).path("everMemorized").asBoolean()).isTrue();
    JsonNode timeline = sample.path("timeline");
    assertThat(timeline.get(0).path("heads").has(probe)).isFalse();
    assertThat(timeline.findValuesAsText(probe)).containsExactly("true", "false", "true");
  }

  @Test
  void aSamplesImageIsItsRecordAsAPngScaledUpFourTimes() throws IOException {
    HttpResponse<byte[]> response = Http.bytes(service.url() + "/api/runs/s1/samples/12.png");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(response.headers().firstValue("Cache-Control"))
        .contains(SamplesApi.IMAGE_CACHE_CONTROL);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
    int side = 4 * SampleEvaluations.IMAGE_SIDE;
    assertThat(image.getWidth()).isEqualTo(side);
    assertThat(image.getHeight()).isEqualTo(side);
    Raster raster = image.getRaster();
    assertThat(raster.getNumBands()).isEqualTo(1);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        assertThat(raster.getSample(x, y, 0))
            .as("pixel (%d, %d)", y, x)
            .isEqualTo(SampleEvaluations.pixel(12, y / 4, x / 4));
      }
    }
    // again, from the cache
    assertThat(Http.bytes(service.url() + "/api/runs/s1/samples/12.png").body())
        .isEqualTo(response.body());
  }

  @Test
  void everyBadRequestIsRefusedWithAOneLineJsonError() throws IOException {
    assertRefused("/api/runs/nope/samples", 404, "no sample evaluations of run nope");
    assertRefused("/api/runs/nope/samples/10", 404, "no sample evaluations of run nope");
    assertRefused("/api/runs/nope.x/samples", 400, "not a run id");
    assertRefused(
        "/api/runs/s1/samples?head=fc/9",
        404,
        "has no head fc/9; its heads: penultimate/0, logits/1");
    assertRefused("/api/runs/s1/samples/11", 404, "sample 11 is not in the evaluation subset");
    assertRefused("/api/runs/s1/samples/11.png", 404, "sample 11 is not in the evaluation subset");
    assertRefused("/api/runs/s1/samples/ten", 400, "not a sample index: 'ten'");
    assertRefused("/api/runs/s1/samples/-1.png", 400, "not a sample index: '-1'");
    assertRefused(
        "/api/runs/s1/samples?order=random", 400, "order must be one of onset, forgetting");
    assertRefused(
        "/api/runs/s1/samples?filter=some",
        400,
        "filter must be one of all, memorized, never, misclassified-memorized");
    for (String limit : List.of("0", "10001", "many")) {
      assertRefused(
          "/api/runs/s1/samples?limit=" + limit,
          400,
          "limit must be a whole number from 1 to 10000");
    }
    assertRefused("/api/runs/s2/samples/10.png", 404, "no manifest of run s2 in memoscope.runs");
  }

  void assertRefused(String path, int status, String message) throws IOException {
    HttpResponse<String> response = Http.get(service.url() + path);
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body()).as(path).doesNotContain("\n");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.path("error").asText()).as(path).contains(message);
  }

  @Test
  void metricsHasTheAggregatesAndNoSampleLabel() {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        PrometheusText.value(
                            Http.body(service.url() + "/metrics"),
                            "memoscope_samples_memorized_fraction",
                            Map.of("run", "s1", "head", HEAD, "class", "1")))
                    .contains(1.0));
    String metrics = Http.body(service.url() + "/metrics");
    assertThat(
            PrometheusText.value(
                metrics,
                "memoscope_samples",
                Map.of("run", "s1", "dataset", "digits", "head", HEAD, "group", "wrong_memorized")))
        .contains(1.0);
    SampleEvaluations.assertBoundedSampleSeries(metrics, "s1", 2 * 2 + 2 * 4);
  }

  /**
   * A new application reads memoscope.evaluations from its start: once /readyz says ready, every
   * evaluation is in (readiness waits for that topic as for memoscope.events).
   */
  @Test
  void readyMeansEveryEvaluationIsIn() throws Exception {
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()), temp.resolve("state-3"))
            .withApplicationId("samples-ready")
            .withHttp("127.0.0.1", 0);
    MetricsService fresh = new MetricsService(config, null).start();
    services.add(fresh);
    await().atMost(TIMEOUT).until(() -> Http.get(fresh.url() + "/readyz").statusCode() == 200);

    HttpResponse<String> samples = Http.get(fresh.url() + "/api/runs/s1/samples");

    assertThat(samples.statusCode()).as(samples.body()).isEqualTo(200);
    assertThat(JSON.readTree(samples.body()).path("evaluations").asInt()).isEqualTo(5);
    assertThat(fresh.catchUpPartitions())
        .contains(new TopicPartition(Topics.EVENTS, 0), new TopicPartition(Topics.EVALUATIONS, 0));
  }

  @Test
  void aFreshInstanceRebuildsTheSameAnswersFromTheChangelogs() throws IOException {
    String before = Http.body(service.url() + "/api/runs/s1/samples?limit=10000");
    String timeline = Http.body(service.url() + "/api/runs/s1/samples/14");
    service.close();
    services.remove(service);
    service = start("state-2"); // an empty state directory, the same application id
    awaitEvaluations(service, "s1", 5);
    assertThat(Http.body(service.url() + "/api/runs/s1/samples?limit=10000")).isEqualTo(before);
    assertThat(Http.body(service.url() + "/api/runs/s1/samples/14")).isEqualTo(timeline);
  }
}
