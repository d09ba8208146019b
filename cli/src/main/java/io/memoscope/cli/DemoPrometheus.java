package io.memoscope.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} binary, started by {@code memoscope demo --prometheus} against the
 * bundled config pointed at the demo's metrics service, and stopped with it.
 */
final class DemoPrometheus {

  private final Process process;
  private final String url;

  private DemoPrometheus(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts Prometheus, or says in one line why not and returns empty. */
  static Optional<DemoPrometheus> start(Path dataRoot, int port, int metricsPort, PrintWriter out) {
    Optional<Path> binary = onPath("prometheus");
    if (binary.isEmpty()) {
      out.println(
          "prometheus: no prometheus binary on the PATH (Debian: apt-get install prometheus); going on without it");
      return Optional.empty();
    }
    try {
      Path dir = Files.createDirectories(dataRoot.resolve("prometheus"));
      Path config = dir.resolve("prometheus.yml");
      writeConfig(config, metricsPort, renderScripts(), out);
      String address = "127.0.0.1:" + port;
      Process process =
          new ProcessBuilder(
                  binary.get().toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=" + address)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("prometheus.log").toFile()))
              .start();
      return Optional.of(new DemoPrometheus(process, "http://" + address + "/"));
    } catch (IOException e) {
      throw new UncheckedIOException("starting prometheus: " + e.getMessage(), e);
    }
  }

  String url() {
    return url;
  }

  /** SIGTERM, then up to 10 s for Prometheus to flush its head block, then SIGKILL. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The repository's prometheus/prometheus.yml rendered by prometheus/render-local.sh when the
   * repository is at hand (the working directory or the one the jar was built in), with the
   * repository's alerting rules (prometheus/rules/memoscope.yml, by absolute path: edited
   * thresholds count at the next start, without a rebuild), else an equivalent minimal scrape
   * config without the rules: the jar also runs on its own.
   */
  static void writeConfig(Path config, int metricsPort, List<Path> renderScripts, PrintWriter out)
      throws IOException {
    for (Path script : renderScripts) {
      try {
        Process render =
            new ProcessBuilder(
                    "bash", script.toString(), Integer.toString(metricsPort), config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (render.waitFor(30, TimeUnit.SECONDS) && render.exitValue() == 0) {
          return;
        }
      } catch (IOException e) {
        // no bash: the minimal config below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    out.println(
        "prometheus: prometheus/render-local.sh not found; using a minimal scrape config, without the alert rules");
    Files.writeString(
        config,
        """
        # Written by memoscope demo: scrapes the demo's metrics service.
        global:
          scrape_interval: 5s
          evaluation_interval: 5s
        scrape_configs:
          - job_name: memoscope-metrics
            metrics_path: /metrics
            scrape_interval: 5s
            scrape_timeout: 4s
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(metricsPort));
  }

  private static List<Path> renderScripts() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("prometheus", "render-local.sh").toAbsolutePath());
    try {
      // cli/target/memoscope.jar → the repository root two folders up
      Path jar =
          Path.of(DemoPrometheus.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (jar.getParent() != null
          && jar.getParent().getParent() != null
          && jar.getParent().getParent().getParent() != null) {
        candidates.add(
            jar.getParent()
                .getParent()
                .getParent()
                .resolve("prometheus")
                .resolve("render-local.sh"));
      }
    } catch (URISyntaxException | RuntimeException e) {
      // not from a jar on disk: only the working directory
    }
    return candidates.stream().filter(Files::isRegularFile).distinct().toList();
  }

  static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
