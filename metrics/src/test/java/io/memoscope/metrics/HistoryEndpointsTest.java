package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The history endpoints' bounds on a real broker: a failure answers a generic body (the details are
 * logged), and the history cache holds at most its limits of events per run and in all.
 */
class HistoryEndpointsTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir Path temp;

  MetricsConfig config(Duration historyTimeout) {
    MetricsConfig defaults =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()), temp.resolve("state"))
            .withApplicationId("history-endpoints")
            .withHttp("127.0.0.1", 0);
    return new MetricsConfig(
        defaults.kafka(),
        defaults.applicationId(),
        defaults.stateDir(),
        defaults.bind(),
        defaults.port(),
        defaults.retention(),
        defaults.commitInterval(),
        defaults.maintenanceInterval(),
        historyTimeout,
        defaults.streamThreads(),
        TopicSettings.DEFAULTS);
  }

  @Test
  void aFailedHistoryReadAnswersAGenericBodyAndLogsTheDetails() {
    Logger logger = (Logger) LoggerFactory.getLogger(MetricsHttpServer.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    // 1 ms is too short for any metadata request: Kafka's client fails with a message of its own.
    try (MetricsService service = new MetricsService(config(Duration.ofMillis(1)), null).start()) {
      HttpResponse<String> response = Http.get(service.url() + "/api/runs/some-run");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).isEqualTo(MetricsHttpServer.BUSY);
      assertThat(response.headers().firstValue("Retry-After"))
          .contains(String.valueOf(MetricsHttpServer.RETRY_AFTER_SECONDS));
      assertThat(logged.list)
          .anySatisfy(
              event -> {
                assertThat(event.getFormattedMessage()).contains("/api/runs/some-run");
                assertThat(event.getThrowableProxy()).isNotNull();
              });
    } finally {
      logger.detachAppender(logged);
    }
  }

  @Test
  void theCacheKeepsTheNewestEventsOfARunAndDropsTheRunAskedForLeastRecently() {
    // The service creates the events topic; its HTTP side is not used here.
    try (MetricsService service =
        new MetricsService(config(Duration.ofSeconds(30)), null).start()) {
      Produce.eventsInBulk(kafka.bootstrapServers(), events("cache-a", 30));
      Produce.eventsInBulk(kafka.bootstrapServers(), events("cache-b", 30));
      HistoryCache cache =
          new HistoryCache(
              service.config().clientConfig(),
              service.config().historyTimeout(),
              new HistoryLimits(1, 1, 20, 30, 8, Duration.ZERO));

      HistoryCache.Snapshot a = cache.read("cache-a");
      assertThat(a.events()).hasSize(20);
      assertThat(a.events().get(0).getSequence()).isEqualTo(10);
      assertThat(a.lastSequence()).isEqualTo(29);
      assertThat(a.truncated()).isTrue();
      assertThat(cache.eventsCached()).isEqualTo(20);

      cache.read("cache-b"); // 40 events over both: more than 30, so cache-a goes
      assertThat(cache.runsCached()).isEqualTo(1);
      assertThat(cache.eventsCached()).isEqualTo(20);
      assertThat(cache.read("no-such-run").events()).isEmpty();
      assertThat(cache.runsCached()).as("an unknown run is not cached").isEqualTo(1);
    }
  }

  static List<TrainingEvent> events(String run, int count) {
    List<TrainingEvent> events = new ArrayList<>();
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    for (int i = 0; i < count; i++) {
      events.add(
          Events.event(
              run,
              i,
              t0.plusSeconds(i),
              EventKind.STEP,
              0,
              i,
              Map.of("loss_class", 1.0),
              Map.of()));
    }
    return events;
  }
}
