package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.metrics.DashboardQueries;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.metrics.MetricsService;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole monitoring path with real parts: a short real training run (interrupted once and
 * resumed, so every kind of event occurs) on the embedded broker, the metrics service, and Debian's
 * Prometheus scraping it with the repository's prometheus.yml. Every PromQL expression of the
 * Grafana dashboard, with {@code $run} set to the run, must return data through Prometheus's HTTP
 * API over the test's time range (a range query, as Grafana sends for a panel or an annotation, so
 * windowed expressions like {@code changes(…[1m]) > 0} count when they held at any moment of the
 * run), and the dashboard's run variable must list the run. Prometheus must also have loaded the
 * alerting rules of prometheus/rules/memoscope.yml, and their RunDiverged (not RunFailed) must have
 * taken up the run that diverged.
 */
class PrometheusScrapeTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String RUN = "scraped";
  private static final String DIVERGED = "scraped-diverged";

  /** The alerts of prometheus/rules/memoscope.yml, in its order. */
  private static final List<String> ALERTS =
      List.of(
          "MemorizationRising",
          "RunStalled",
          "DeadLettersAppearing",
          "RunDiverged",
          "RunFailed",
          "MetricsServiceDown");

  @TempDir Path dir;

  @Test
  void everyDashboardQueryReturnsDataForARealRun() throws Exception {
    assertThat(onPath("prometheus"))
        .as("Debian's prometheus package is not installed (test.sh installs it)")
        .isTrue();
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "scrape",
            "--count",
            "640",
            "--test-count",
            "64",
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();

    try (MetricsService metrics =
            new MetricsService(
                    MetricsConfig.defaults(
                            new KafkaConnection(kafka.bootstrapServers(), Map.of()),
                            dir.resolve("metrics-state"))
                        .withApplicationId("scrape-test")
                        .withHttp("127.0.0.1", 0))
                .start();
        Prometheus prometheus = Prometheus.start(dir, URI.create(metrics.url()).getPort())) {
      long from = Instant.now().getEpochSecond() - 1;
      trainWithOneInterruption(prometheus);
      trainUntilItDiverges();

      List<DashboardQueries.Query> queries = DashboardQueries.expressions();
      assertThat(queries).hasSizeGreaterThan(10);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                for (DashboardQueries.Query query : queries) {
                  // The divergence annotation has data only for a run that diverged.
                  String run = query.where().equals("annotation 'Divergences'") ? DIVERGED : RUN;
                  String promql = DashboardQueries.resolve(query.expr(), Map.of("run", run));
                  assertThat(prometheus.queryRange(promql, from))
                      .as("%s: %s", query.where(), promql)
                      .isNotEmpty();
                }
              });
      JsonNode dashboard = DashboardQueries.read(DashboardQueries.dashboardFile());
      String selector =
          DashboardQueries.labelValuesSelector(
              DashboardQueries.variableQuery(dashboard.path("templating").path("list").get(0)));
      assertThat(prometheus.query(selector))
          .extracting(series -> series.path("metric").path("run").asText())
          .contains(RUN);
      alertRulesLoadedAndEvaluated(prometheus);
    }
  }

  /**
   * The rule group of prometheus/rules/memoscope.yml, from that file, with every alert; RunDiverged
   * pending or firing (its {@code for} outlasts the test) for the diverged run, RunFailed not.
   */
  private static void alertRulesLoadedAndEvaluated(Prometheus prometheus) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              JsonNode groups = prometheus.api("/api/v1/rules?type=alert").path("groups");
              List<JsonNode> memoscope = new ArrayList<>();
              groups.forEach(
                  group -> {
                    if (group.path("name").asText().equals("memoscope")) {
                      memoscope.add(group);
                    }
                  });
              assertThat(memoscope)
                  .as("rule groups: %s", groups)
                  .singleElement()
                  .satisfies(
                      group -> {
                        assertThat(group.path("file").asText())
                            .endsWith("prometheus/rules/memoscope.yml");
                        assertThat(group.path("rules"))
                            .extracting(rule -> rule.path("name").asText())
                            .containsExactlyElementsOf(ALERTS);
                      });
              List<String> active = new ArrayList<>();
              prometheus
                  .api("/api/v1/alerts")
                  .path("alerts")
                  .forEach(
                      alert ->
                          active.add(
                              alert.path("labels").path("alertname").asText()
                                  + " "
                                  + alert.path("labels").path("run").asText()
                                  + " "
                                  + alert.path("state").asText()));
              assertThat(active)
                  .as("active alerts")
                  .anyMatch(alert -> alert.matches("RunDiverged " + DIVERGED + " (pending|firing)"))
                  .noneMatch(alert -> alert.startsWith("RunFailed " + DIVERGED + " "));
            });
  }

  /**
   * Three epochs; the first process fails at step 25 (after its checkpoint at step 20), a second
   * resumes. At every epoch's end training waits until Prometheus has scraped that step, so the
   * scrapes see the run move however fast this machine trains or slow the service catches up.
   */
  private void trainWithOneInterruption(Prometheus prometheus) {
    // probe.every = 1: the dashboard's probe panel has data from the first evaluation on.
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of(
                "epochs",
                "3",
                "batch-size",
                "32",
                "model.width-scale",
                "0.5",
                "heads.taps",
                "block2,penultimate",
                "probe.every",
                "1",
                "probe.max-epochs",
                "20"));
    TrainingListener scrapedAtEpochEnds =
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, long step, EpochTally tally) {
            await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(
                    () ->
                        prometheus.query("memoscope_step{run=\"" + RUN + "\"}").stream()
                            .anyMatch(series -> series.path("value").path(1).asDouble() >= step));
          }
        };
    TrainingListener failAtStep25 =
        new TrainingListener() {
          @Override
          public void onStep(StepMetrics metrics) {
            if (metrics.step() == 25) {
              throw new IllegalStateException("interrupted on purpose");
            }
          }

          @Override
          public void onEpochEnd(int epoch, long step, EpochTally tally) {
            scrapedAtEpochEnds.onEpochEnd(epoch, step, tally);
          }
        };
    Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    assertThatThrownBy(
            () ->
                new StreamingRun(
                        client, TopicSettings.DEFAULTS, options(config, false), failAtStep25)
                    .run())
        .hasMessageContaining("on purpose");
    new StreamingRun(client, TopicSettings.DEFAULTS, options(config, true), scrapedAtEpochEnds)
        .run();
  }

  /**
   * A run whose learning rate makes it diverge within a few steps; it stops with a DIVERGED event.
   */
  private void trainUntilItDiverges() {
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of(
                "epochs",
                "1",
                "batch-size",
                "32",
                "model.width-scale",
                "0.5",
                "optimizer.learning-rate",
                "1e12"));
    RunOptions options =
        new RunOptions(
            DIVERGED,
            new RunMode.Fresh("scrape", config),
            dir.resolve("runs").resolve(DIVERGED),
            "test",
            new RunTuning(1, 5, 2, Duration.ofSeconds(30), 10, 2));
    assertThatThrownBy(
            () ->
                new StreamingRun(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        TopicSettings.DEFAULTS,
                        options,
                        TrainingListener.NONE)
                    .run())
        .hasMessageContaining("diverged at step");
  }

  private RunOptions options(TrainingConfig config, boolean resume) {
    return new RunOptions(
        RUN,
        resume ? new RunMode.Resume() : new RunMode.Fresh("scrape", config),
        dir.resolve("runs").resolve(RUN),
        "test",
        new RunTuning(1, 5, 2, Duration.ofSeconds(30), 10, 2));
  }

  /**
   * A file of the checkout, found from the working directory (Maven's: the module) or a folder
   * above it.
   */
  static Path repositoryFile(String relative) {
    for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
      if (Files.isRegularFile(folder.resolve(relative))) {
        return folder.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  private static boolean onPath(String command) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, command))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Debian's prometheus on loopback with the repository's config as render-local.sh renders it for
   * the service.
   */
  private static final class Prometheus implements AutoCloseable {
    private final Process process;
    private final String url;

    private Prometheus(Process process, String url) {
      this.process = process;
      this.url = url;
    }

    static Prometheus start(Path dir, int metricsPort) throws Exception {
      // As the demo does: render-local.sh moves the target and makes the rules path absolute.
      Path rendered = dir.resolve("rendered.yml");
      Process render =
          new ProcessBuilder(
                  "bash",
                  repositoryFile("prometheus/render-local.sh").toString(),
                  Integer.toString(metricsPort),
                  rendered.toString())
              .redirectErrorStream(true)
              .start();
      String said = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(render.waitFor()).as(said).isZero();
      String renderedConfig = Files.readString(rendered);
      assertThat(renderedConfig)
          .contains(
              "\"127.0.0.1:" + metricsPort + "\"",
              "\"" + repositoryFile("prometheus/rules/memoscope.yml") + "\"");
      // The shipped 5 s interval would make the test wait; the rest stays as rendered.
      String local =
          renderedConfig
              .replace("scrape_interval: 5s", "scrape_interval: 1s")
              .replace("evaluation_interval: 5s", "evaluation_interval: 1s")
              .replace("scrape_timeout: 4s", "scrape_timeout: 1s");
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, local);
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Process process =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      Prometheus prometheus = new Prometheus(process, "http://127.0.0.1:" + port);
      await()
          .atMost(Duration.ofSeconds(60))
          .failFast("prometheus exited", () -> !process.isAlive())
          .ignoreExceptions()
          .until(() -> prometheus.get("/-/ready").statusCode() == 200);
      return prometheus;
    }

    /**
     * The series of a range query from {@code fromEpochSecond} to now, 1 s apart; fails on a query
     * error.
     */
    List<JsonNode> queryRange(String promql, long fromEpochSecond)
        throws IOException, InterruptedException {
      return result(
          promql,
          "/api/v1/query_range?query="
              + URLEncoder.encode(promql, StandardCharsets.UTF_8)
              + "&start="
              + fromEpochSecond
              + "&end="
              + (Instant.now().getEpochSecond() + 1)
              + "&step=1");
    }

    /** The result vector of an instant query; fails on a query error. */
    List<JsonNode> query(String promql) throws IOException, InterruptedException {
      return result(
          promql, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    private List<JsonNode> result(String promql, String path)
        throws IOException, InterruptedException {
      JsonNode data = data(promql, path);
      List<JsonNode> series = new ArrayList<>();
      data.path("result").forEach(series::add);
      return series;
    }

    /** The {@code data} of an API answer; fails on an error. */
    JsonNode api(String path) throws IOException, InterruptedException {
      return data(path, path);
    }

    private JsonNode data(String what, String path) throws IOException, InterruptedException {
      HttpResponse<String> response = get(path);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("status").asText())
          .as("%s: %s", what, response.body())
          .isEqualTo("success");
      return body.path("data");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy(); // SIGTERM: Prometheus shuts down cleanly
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
