package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 5: the metrics HTTP server holds under load. A run of 10,000 events is in {@code
 * memoscope.events}; rounds of 50 concurrent {@code /api/runs/{id}} requests (the full history as
 * JSON, the heaviest answer) run for {@value #LOAD_SECONDS} s while {@code /metrics}, {@code
 * /healthz} and {@code /readyz} are asked every second, as Prometheus and an orchestrator would.
 * {@code /metrics} must answer within 200 ms at the 99th percentile and no request may fail (a 503
 * counts as a failure). Everything on loopback, against a real broker; the figures are printed as
 * one line starting with {@code http load:} (bench/metrics-http.sh reads it).
 */
class MetricsUnderHistoryLoadTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  static final int EVENTS = 10_000;
  static final int CONCURRENT = 50;
  static final int LOAD_SECONDS = 15;

  /** Prometheus' scrape timeout in our prometheus.yml: a slower answer is a failed scrape. */
  static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(4);

  @TempDir Path temp;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void metricsStaysFastWhileFiftyHistoriesAreReadAtOnce() throws Exception {
    String run = "load-run";
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<TrainingEvent> events = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      events.add(
          Events.event(
              run,
              i,
              t0.plusMillis(i),
              EventKind.STEP,
              i / 1_000,
              i,
              Map.of(
                  "loss_class",
                  2.0 / (1 + i),
                  "learning_rate",
                  0.01,
                  "samples_per_second",
                  900.0 + i % 7),
              Map.of()));
    }

    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()), temp.resolve("state"))
            .withApplicationId("http-load")
            .withHttp("127.0.0.1", 0);
    try (MetricsService service = new MetricsService(config, null).start()) {
      String url = service.url();
      Produce.eventsInBulk(kafka.bootstrapServers(), events); // the service created the topic
      // Measure the HTTP server, not Kafka Streams catching up: wait until the run is applied.
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  Http.get(url + "/readyz").statusCode() == 200
                      && service
                          .live()
                          .run(run)
                          .map(v -> v.meta().lastSequence() == EVENTS - 1)
                          .orElse(false));

      // Prometheus scrapes the service from its start: the first scrape's class loading and
      // compiling is behind it by the time anyone reads a history.
      for (int i = 0; i < 5; i++) {
        Http.body(url + "/metrics");
      }
      Load load = new Load(url, run);
      load.run();

      long[] scrapes = load.latencies("/metrics");
      long[] histories = load.latencies("/api/runs/" + run);
      System.out.printf(
          "http load: %d events, %d concurrent history requests in %d rounds over %d s; "
              + "/metrics %d scrapes p50 %d ms p99 %d ms max %d ms; /healthz+/readyz max %d ms; "
              + "history p50 %d ms p99 %d ms max %d ms; failures %d%n",
          EVENTS,
          CONCURRENT,
          load.rounds,
          LOAD_SECONDS,
          scrapes.length,
          percentile(scrapes, 0.50),
          percentile(scrapes, 0.99),
          percentile(scrapes, 1.0),
          Math.max(
              percentile(load.latencies("/healthz"), 1.0),
              percentile(load.latencies("/readyz"), 1.0)),
          percentile(histories, 0.50),
          percentile(histories, 0.99),
          percentile(histories, 1.0),
          load.failures.size());
      System.out.println(
          "http load: /metrics latencies in ms, in order: "
              + Arrays.stream(scrapes).map(TimeUnit.NANOSECONDS::toMillis).boxed().toList());

      assertThat(load.failures).as("failed requests").isEmpty();
      assertThat(scrapes.length).isGreaterThanOrEqualTo(LOAD_SECONDS - 1);
      assertThat(histories.length).isGreaterThanOrEqualTo(CONCURRENT);
      assertThat(percentile(scrapes, 0.99)).as("/metrics p99 in ms").isLessThanOrEqualTo(200);
      assertThat(load.seriesSizes).as("events in each checked history answer").containsOnly(EVENTS);
    }
  }

  /** Nearest-rank percentile in ms of latencies in ns; -1 for none. */
  static long percentile(long[] nanos, double p) {
    if (nanos.length == 0) {
      return -1;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return TimeUnit.NANOSECONDS.toMillis(sorted[index]);
  }

  /** The two kinds of clients: a once-a-second prober and rounds of concurrent history readers. */
  static final class Load {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final String run;
    private final HttpClient prober =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpClient readers =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final List<Integer> seriesSizes = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Map.Entry<String, Long>> latencies =
        new ConcurrentLinkedQueue<>();
    int rounds;

    Load(String url, String run) {
      this.url = url;
      this.run = run;
    }

    void run() throws Exception {
      ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
      try {
        ticks.scheduleAtFixedRate(this::probe, 0, 1, TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
        while (System.nanoTime() < end) {
          round();
        }
      } finally {
        ticks.shutdown();
        ticks.awaitTermination(10, TimeUnit.SECONDS);
      }
    }

    /** /metrics, /healthz and /readyz, one after the other, as a scrape plus two probes. */
    private void probe() {
      for (String path : List.of("/metrics", "/healthz", "/readyz")) {
        long started = System.nanoTime();
        try {
          HttpResponse<String> response =
              prober.send(
                  HttpRequest.newBuilder(URI.create(url + path)).timeout(SCRAPE_TIMEOUT).build(),
                  HttpResponse.BodyHandlers.ofString());
          record(path, started, response.statusCode());
        } catch (Exception e) {
          failures.add(path + ": " + e);
        }
      }
    }

    /** 50 requests at once, waited for; the first answer's events are counted. */
    private void round() throws Exception {
      String path = "/api/runs/" + run;
      List<CompletableFuture<Void>> requests = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        boolean check = i == 0;
        long started = System.nanoTime();
        requests.add(
            readers
                .sendAsync(
                    HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())
                .thenAccept(
                    response -> {
                      record(path, started, response.statusCode());
                      if (check && response.statusCode() == 200) {
                        seriesSizes.add(series(response.body()));
                      }
                    })
                .exceptionally(
                    e -> {
                      failures.add(path + ": " + e);
                      return null;
                    }));
      }
      CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new))
          .get(120, TimeUnit.SECONDS);
      rounds++;
    }

    private void record(String path, long started, int status) {
      long took = System.nanoTime() - started;
      if (status != 200) {
        failures.add(path + ": HTTP " + status);
      } else {
        latencies.add(Map.entry(path, took));
      }
    }

    private static int series(byte[] body) {
      try {
        return JSON.readTree(body).get("series").size();
      } catch (Exception e) {
        return -1;
      }
    }

    long[] latencies(String path) {
      return latencies.stream()
          .filter(e -> e.getKey().equals(path))
          .mapToLong(Map.Entry::getValue)
          .toArray();
    }
  }
}
