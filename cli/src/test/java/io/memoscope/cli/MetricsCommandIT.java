package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoscope metrics} from the shaded jar: prints its URL, serves, stops cleanly on Ctrl-C.
 */
class MetricsCommandIT {

  @TempDir Path workDir;

  @Test
  void servesMetricsUntilCtrlC() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        RunningProcess metrics =
            RunningProcess.start(
                workDir, "metrics", "--bootstrap", kafka.bootstrapServers(), "--port", "0")) {
      String url =
          await()
              .atMost(Duration.ofSeconds(90))
              .failFast(() -> !metrics.process.isAlive())
              .until(() -> metricsUrl(metrics.out), Optional::isPresent)
              .orElseThrow();
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(http, url.replace("/metrics", "/readyz")).statusCode() == 200);
      assertThat(get(http, url).body()).contains("memoscope_events_duplicate_total");
      assertThat(workDir.resolve("data/metrics")).isDirectory();

      metrics.signal("INT");
      assertThat(metrics.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(metrics.out).contains("metrics service stopped"));
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<String> metricsUrl(List<String> lines) {
    return lines.stream()
        .filter(l -> l.strip().startsWith("metrics:"))
        .map(l -> l.strip().substring("metrics:".length()).strip())
        .findFirst();
  }
}
