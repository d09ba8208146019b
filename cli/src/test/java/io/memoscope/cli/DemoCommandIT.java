package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
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
 * {@code memoscope demo} from the shaded jar, tiny: synthetic data, a short run. It serves the run,
 * a second trainer works against the printed bootstrap, Ctrl-C stops it all, and a second start
 * reuses the ingested data and starts a new run, which Ctrl-C interrupts mid-way.
 */
class DemoCommandIT {

  private static final String[] TINY = {
    "demo",
    "--synthetic",
    "--limit",
    "600",
    "--port",
    "0",
    "--metrics-port",
    "0",
    "--log-every",
    "2"
  };

  @TempDir Path workDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesARunTakesASecondTrainerStopsOnCtrlCAndReusesItsDataOnRestart() throws Exception {
    try (RunningProcess demo =
        RunningProcess.start(workDir, concat(TINY, "--epochs", "2", "--run-id", "first"))) {
      String runs =
          await("the demo's URLs")
              .atMost(Duration.ofSeconds(120))
              .failFast(() -> !demo.process.isAlive())
              .until(() -> value(demo.out, "runs:"), Optional::isPresent)
              .orElseThrow();
      assertThat(demo.out)
          .anyMatch(line -> line.startsWith("data: ingesting a synthetic Fashion-MNIST-like set"));
      assertThat(value(demo.out, "live page:")).contains(runs.replace("/api/runs", "/"));
      await("the run on /api/runs")
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> get(runs).contains("\"run\":\"first\""));
      await("the run's end")
          .atMost(Duration.ofSeconds(120))
          .failFast(() -> !demo.process.isAlive())
          .until(
              () ->
                  demo.out.stream()
                      .anyMatch(line -> line.startsWith("run first finished: 2 epochs")));
      assertThat(demo.err)
          .anyMatch(
              line -> line.matches("eval step .* rla\\[block2/0] .* rla\\[penultimate/0] .*"));

      // What the demo tells a second terminal to run, against the same broker.
      String bootstrap = value(demo.out, "bootstrap:").orElseThrow();
      try (RunningProcess train =
          RunningProcess.start(
              workDir,
              "train",
              "--dataset",
              "synthetic-600",
              "--bootstrap",
              bootstrap,
              "--epochs",
              "1",
              "--run-id",
              "second-terminal")) {
        assertThat(train.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(train.process.exitValue()).as(String.join("\n", train.err)).isZero();
      }
      await("the second run on /api/runs")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(runs).contains("\"run\":\"second-terminal\""));

      stopWithCtrlC(demo);
    }

    int prometheusPort;
    try (ServerSocket free = new ServerSocket(0)) {
      prometheusPort = free.getLocalPort();
    }
    try (RunningProcess again =
        RunningProcess.start(
            workDir,
            concat(
                TINY,
                "--epochs",
                "500",
                "--prometheus",
                "--prometheus-port",
                Integer.toString(prometheusPort)))) {
      String runs =
          await("the URLs after a restart")
              .atMost(Duration.ofSeconds(120))
              .failFast(() -> !again.process.isAlive())
              .until(() -> value(again.out, "runs:"), Optional::isPresent)
              .orElseThrow();
      assertThat(again.out)
          .anyMatch(line -> line.endsWith("as data set synthetic-600: reusing it, no ingest"))
          .noneMatch(line -> line.startsWith("data: ingesting") || line.startsWith("ingested"));
      // The run's line follows the URLs; it may not be printed yet when they are.
      String runId =
          await("the run's line")
              .atMost(Duration.ofSeconds(60))
              .failFast(() -> !again.process.isAlive())
              .until(() -> value(again.out, "run:"), Optional::isPresent)
              .orElseThrow()
              .split(":")[0];
      assertThat(runId).startsWith("demo-");
      await("the new run training")
          .atMost(Duration.ofSeconds(60))
          .failFast(() -> !again.process.isAlive())
          .until(() -> again.err.stream().anyMatch(line -> line.startsWith("epoch 1 step ")));
      assertThat(get(runs)).contains("\"run\":\"first\"", "\"run\":\"" + runId + "\"");
      // Debian's prometheus when it is on the PATH, else one line saying so.
      List<ProcessHandle> prometheus =
          again
              .process
              .descendants()
              .filter(p -> p.info().command().map(c -> c.endsWith("/prometheus")).orElse(false))
              .toList();
      if (DemoPrometheus.onPath("prometheus").isPresent()) {
        assertThat(value(again.out, "prometheus:"))
            .contains("http://127.0.0.1:" + prometheusPort + "/");
        assertThat(prometheus).hasSize(1);
        await("prometheus scraping")
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () ->
                    get("http://127.0.0.1:" + prometheusPort + "/api/v1/targets")
                        .contains("\"health\":\"up\""));
        // The repository's alerting rules, found through the jar's checkout.
        assertThat(get("http://127.0.0.1:" + prometheusPort + "/api/v1/rules"))
            .contains(
                "\"name\":\"memoscope\"",
                "\"name\":\"MemorizationRising\"",
                "\"name\":\"RunStalled\"");
      } else {
        assertThat(again.out)
            .anyMatch(line -> line.startsWith("prometheus: no prometheus binary on the PATH"));
      }

      stopWithCtrlC(again);
      assertThat(prometheus).noneMatch(ProcessHandle::isAlive);
      assertThat(again.out).noneMatch(line -> line.startsWith("run " + runId + " finished"));
    }
  }

  /**
   * SIGINT: the hooks stop the run, the metrics service and the broker; the JVM exits as killed by
   * SIGINT.
   */
  private static void stopWithCtrlC(RunningProcess demo) throws Exception {
    demo.signal("INT");
    assertThat(demo.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(demo.out).contains("demo stopped"));
    assertThat(demo.process.exitValue()).isEqualTo(128 + 2);
    assertThat(demo.err).noneMatch(line -> line.startsWith("memoscope demo:"));
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Optional<String> value(List<String> lines, String label) {
    return lines.stream()
        .map(String::strip)
        .filter(line -> line.startsWith(label))
        .map(line -> line.substring(label.length()).strip())
        .findFirst();
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
