package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The service on a state directory that no longer matches the cluster, as after a broker was
 * replaced by a fresh one (new cluster id, empty topics) or a registry topic was recreated: it says
 * so in one line, wipes its local state, rebuilds it from Kafka and serves again, instead of
 * leaving Kafka Streams in ERROR on offsets the topics no longer have.
 */
class StaleStateRecoveryTest {

  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String APPLICATION_ID = "stale-state";

  @TempDir Path temp;

  /** Services and brokers still open, the latest first, so services close before their broker. */
  final Deque<AutoCloseable> open = new ArrayDeque<>();

  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger serviceLog = (Logger) LoggerFactory.getLogger("io.memoscope.metrics");

  @BeforeEach
  void captureLog() {
    logged.start();
    serviceLog.addAppender(logged);
  }

  @AfterEach
  void closeAll() throws Exception {
    serviceLog.detachAppender(logged);
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }

  @Test
  void aStateDirectoryWrittenForAnotherClusterIsWipedAndRebuilt() {
    Path stateDir = temp.resolve("state");
    EmbeddedKafka first = broker();
    String firstCluster = first.clusterId();
    MetricsService before = service(first, stateDir);
    publishRun(first, "run-a", "fashion");
    // Both global tables have read their record, so the state directory holds offsets beyond 0.
    await().atMost(TIMEOUT).until(() -> serves(before, "run-a", "fashion"));
    stop(before);
    stop(first);

    EmbeddedKafka second = broker();
    assertThat(second.clusterId()).isNotEqualTo(firstCluster);
    MetricsService after = service(second, stateDir);
    await().atMost(TIMEOUT).until(() -> Http.get(after.url() + "/readyz").statusCode() == 200);
    publishRun(second, "run-b", "digits");
    await().atMost(TIMEOUT).until(() -> serves(after, "run-b", "digits"));

    assertThat(rebuildLines())
        .singleElement()
        .asString()
        .contains(stateDir.toAbsolutePath().toString())
        .contains(
            "written for another cluster (id "
                + firstCluster
                + ", now "
                + second.clusterId()
                + ")");
    assertThat(Http.get(after.url() + "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aRegistryTopicRecreatedWhileTheServiceWasDownIsReadAgainFromScratch() throws Exception {
    Path stateDir = temp.resolve("state");
    EmbeddedKafka kafka = broker();
    MetricsService before = service(kafka, stateDir);
    publishRun(kafka, "run-a", "fashion");
    await().atMost(TIMEOUT).until(() -> serves(before, "run-a", "fashion"));
    stop(before);
    // Same cluster, so the recorded cluster id still matches; but the runs table's checkpointed
    // offset is now beyond the end of the (empty) recreated topic.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.deleteTopics(List.of(Topics.RUNS)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(TIMEOUT).until(() -> !admin.listTopics().names().get().contains(Topics.RUNS));
      TopicAdmin.ensure(admin, TopicSpecs.runs(), TopicSettings.DEFAULTS, TIMEOUT);
    }

    MetricsService after = service(kafka, stateDir);
    await().atMost(TIMEOUT).until(() -> !rebuildLines().isEmpty());
    publishRun(kafka, "run-b", "digits");
    await().atMost(TIMEOUT).until(() -> Http.get(after.url() + "/readyz").statusCode() == 200);
    await().atMost(TIMEOUT).until(() -> serves(after, "run-b", "digits"));

    assertThat(rebuildLines())
        .singleElement()
        .asString()
        .contains(stateDir.toAbsolutePath().toString())
        .contains(Topics.RUNS);
    assertThat(Http.get(after.url() + "/healthz").statusCode()).isEqualTo(200);
  }

  /** The lines in which the service said it wipes its state. */
  List<String> rebuildLines() {
    return logged.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(line -> line.contains("wiping it and rebuilding from Kafka"))
        .toList();
  }

  /** Whether the run is listed with its manifest's config and its data set is on /metrics. */
  static boolean serves(MetricsService service, String run, String dataset) throws Exception {
    Optional<JsonNode> listed = Optional.empty();
    for (JsonNode r : JSON.readTree(Http.body(service.url() + "/api/runs"))) {
      if (r.get("run").asText().equals(run)) {
        listed = Optional.of(r);
      }
    }
    boolean withManifest =
        listed.map(r -> r.path("config").path("model").asText().equals("small-cnn")).orElse(false);
    return withManifest
        && PrometheusText.value(
                Http.body(service.url() + "/metrics"),
                "memoscope_ingest_records",
                Map.of("dataset", dataset, "split", "train"))
            .isPresent();
  }

  /** A data set, a run's manifest and the run's first event. */
  static void publishRun(EmbeddedKafka kafka, String run, String dataset) {
    Instant now = Instant.now();
    Produce.record(
        kafka.bootstrapServers(),
        Topics.DATASETS,
        dataset,
        Events.dataset(dataset, 300, now),
        MemoscopeSerdes.datasetInfo().serializer());
    Produce.record(
        kafka.bootstrapServers(),
        Topics.RUNS,
        run,
        Events.manifest(run, dataset),
        MemoscopeSerdes.runManifest().serializer());
    Produce.events(
        kafka.bootstrapServers(),
        List.of(
            Events.event(
                run,
                0,
                now,
                EventKind.RUN_STARTED,
                0,
                0,
                Map.of("random_label_chance", 0.1),
                Map.of())));
  }

  EmbeddedKafka broker() {
    EmbeddedKafka kafka =
        new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withTemporaryDataDirIn(temp)).start();
    open.push(kafka);
    return kafka;
  }

  /**
   * The service without its start-up warm-up (speed only, and seconds of CPU on a small machine).
   */
  MetricsService service(EmbeddedKafka kafka, Path stateDir) {
    MetricsConfig config =
        MetricsConfig.defaults(new KafkaConnection(kafka.bootstrapServers(), Map.of()), stateDir)
            .withApplicationId(APPLICATION_ID)
            .withHttp("127.0.0.1", 0);
    MetricsService service = new MetricsService(config, null);
    open.push(service);
    return service.start();
  }

  void stop(AutoCloseable closeable) {
    open.remove(closeable);
    try {
      closeable.close();
    } catch (Exception e) {
      throw new AssertionError("closing " + closeable + " failed", e);
    }
  }
}
