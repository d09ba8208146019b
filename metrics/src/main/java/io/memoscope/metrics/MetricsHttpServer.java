package io.memoscope.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TrainingEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoints, on the JDK's own server (no web framework for six read-only
 * routes): {@code /metrics}, {@code /api/runs}, {@code /api/runs/{id}},
 * {@code /api/runs/{id}/openmetrics}, {@code /healthz}, {@code /readyz}. GET only; every error is
 * a short text body with the status code.
 */
final class MetricsHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsHttpServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final ObjectMapper JSON = new ObjectMapper()
      .findAndRegisterModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final HttpServer server;
  private final ExecutorService executor;
  private final MetricsService service;

  private MetricsHttpServer(HttpServer server, ExecutorService executor, MetricsService service) {
    this.server = server;
    this.executor = executor;
    this.service = service;
  }

  static MetricsHttpServer start(InetSocketAddress address, MetricsService service) {
    try {
      HttpServer server = HttpServer.create(address, 0);
      ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "memoscope-metrics-http");
        t.setDaemon(true);
        return t;
      });
      MetricsHttpServer http = new MetricsHttpServer(server, executor, service);
      server.createContext("/", http::handle);
      server.setExecutor(executor);
      server.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, service.scrape());
        case "/healthz" -> send(exchange, service.healthy() ? 200 : 503, "text/plain; charset=utf-8",
            service.state() + "\n");
        case "/readyz" -> send(exchange, service.ready() ? 200 : 503, "text/plain; charset=utf-8",
            (service.ready() ? "ready" : "not ready: " + service.state()) + "\n");
        case "/api/runs", "/api/runs/" -> json(exchange, 200, service.live().runs().stream().map(MetricsHttpServer::summary).toList());
        default -> routeRun(exchange, path);
      }
    } catch (RuntimeException e) {
      log.warn("{} failed", exchange.getRequestURI(), e);
      send(exchange, 500, "text/plain; charset=utf-8", "error: " + e.getMessage() + "\n");
    }
  }

  private void routeRun(HttpExchange exchange, String path) throws IOException {
    String prefix = "/api/runs/";
    if (!path.startsWith(prefix)) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics or /api/runs\n");
      return;
    }
    String rest = path.substring(prefix.length());
    boolean openMetrics = rest.endsWith("/openmetrics");
    String run = openMetrics ? rest.substring(0, rest.length() - "/openmetrics".length()) : rest;
    if (!RunIds.isValid(run)) {
      send(exchange, 400, "text/plain; charset=utf-8", "not a run id\n");
      return;
    }
    Optional<LiveRuns.RunView> view = service.live().run(run);
    List<TrainingEvent> history = RunHistory.read(service.config().clientConfig(), run,
        service.config().historyTimeout());
    if (view.isEmpty() && history.isEmpty()) {
      send(exchange, 404, "text/plain; charset=utf-8", "no run " + run + "\n");
      return;
    }
    String dataset = view.map(v -> v.meta().datasetLabel())
        .filter(d -> !d.isEmpty())
        .or(() -> service.manifest(run).map(RunManifest::getDataset))
        .orElse("");
    if (openMetrics) {
      send(exchange, 200, OpenMetricsWriter.CONTENT_TYPE, OpenMetricsWriter.write(run, dataset, history));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("dataset", dataset);
    body.put("live", view.isPresent());
    view.ifPresent(v -> body.putAll(summary(v)));
    body.put("run", run);
    body.put("dataset", dataset);
    body.put("series", history.stream().map(MetricsHttpServer::event).toList());
    json(exchange, 200, body);
  }

  private static Map<String, Object> summary(LiveRuns.RunView view) {
    Map<String, Object> summary = new LinkedHashMap<>();
    RunMeta meta = view.meta();
    summary.put("run", meta.run());
    summary.put("dataset", meta.datasetLabel());
    summary.put("config", meta.config());
    summary.put("lastSequence", meta.lastSequence());
    summary.put("lastEventAt", java.time.Instant.ofEpochMilli(meta.lastEventMs()).toString());
    summary.put("finished", meta.finished());
    summary.put("latest", view.values());
    return summary;
  }

  private static Map<String, Object> event(TrainingEvent e) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("sequence", e.getSequence());
    event.put("timestamp", e.getTimestamp().toString());
    event.put("kind", e.getKind().name());
    event.put("epoch", e.getEpoch());
    event.put("step", e.getStep());
    event.put("labels", e.getLabels());
    event.put("metrics", e.getMetrics());
    if (e.getMessage() != null) {
      event.put("message", e.getMessage());
    }
    return event;
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsString(body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
