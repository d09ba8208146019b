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
 * The service's HTTP endpoints, on the JDK's own server (no web framework for a few read-only
 * routes): {@code /metrics}, {@code /api/runs}, {@code /api/runs/{id}},
 * {@code /api/runs/{id}/series?after=SEQ}, {@code /api/runs/{id}/openmetrics}, {@code /healthz},
 * {@code /readyz}, and the live page at {@code /} with its files under {@code /page/} and
 * {@code /assets/}. GET only; every error is a short text body with the status code.
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
  /** Most events one /series answer carries; the page asks again for the rest. */
  static final int SERIES_LIMIT = 5_000;
  private static final int TAILS = 16;
  /** The runs whose series were asked for lately, each read incrementally (least recently asked dropped). */
  private final Map<String, RunHistory.Tail> tails = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, RunHistory.Tail> eldest) {
      return size() > TAILS;
    }
  };

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
        case "/readyz" -> {
          boolean ready = service.ready();
          send(exchange, ready ? 200 : 503, "text/plain; charset=utf-8",
              (ready ? "ready" : "not ready: " + service.notReadyReason()) + "\n");
        }
        case "/api/runs", "/api/runs/" -> json(exchange, 200, service.live().runs().stream().map(MetricsHttpServer::summary).toList());
        case "/", "/index.html" -> asset(exchange, PageAssets.index());
        default -> {
          if (path.startsWith("/page/")) {
            asset(exchange, PageAssets.page(path.substring("/page/".length())));
          } else if (path.startsWith("/assets/")) {
            asset(exchange, PageAssets.library(path.substring("/assets/".length())));
          } else {
            routeRun(exchange, path);
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("{} failed", exchange.getRequestURI(), e);
      send(exchange, 500, "text/plain; charset=utf-8", "error: " + e.getMessage() + "\n");
    }
  }

  private void routeRun(HttpExchange exchange, String path) throws IOException {
    String prefix = "/api/runs/";
    if (!path.startsWith(prefix)) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found; try /, /metrics or /api/runs\n");
      return;
    }
    String rest = path.substring(prefix.length());
    if (rest.endsWith("/series")) {
      series(exchange, rest.substring(0, rest.length() - "/series".length()));
      return;
    }
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

  /**
   * {@code /api/runs/{id}/series?after=SEQ}: the run's events with a sequence above SEQ (all
   * without it), at most {@link #SERIES_LIMIT} ({@code more} says whether there are others), read
   * incrementally from {@code memoscope.events}, so polling it costs only what was appended.
   */
  private void series(HttpExchange exchange, String run) throws IOException {
    if (!RunIds.isValid(run)) {
      send(exchange, 400, "text/plain; charset=utf-8", "not a run id\n");
      return;
    }
    long after;
    try {
      after = Long.parseLong(query(exchange, "after").orElse("-1"));
    } catch (NumberFormatException e) {
      send(exchange, 400, "text/plain; charset=utf-8", "after must be a sequence number\n");
      return;
    }
    RunHistory.Tail tail;
    synchronized (tails) {
      tail = tails.computeIfAbsent(run, RunHistory.Tail::new);
    }
    List<Map<String, Object>> events;
    long lastSequence;
    boolean more;
    synchronized (tail) {
      tail.advance(service.config().clientConfig(), service.config().historyTimeout());
      List<TrainingEvent> all = tail.events();
      lastSequence = tail.lastSequence();
      if (all.isEmpty() && service.live().run(run).isEmpty()) {
        synchronized (tails) {
          tails.remove(run);
        }
        send(exchange, 404, "text/plain; charset=utf-8", "no run " + run + "\n");
        return;
      }
      int from = firstAfter(all, after);
      int to = Math.min(all.size(), from + SERIES_LIMIT);
      more = to < all.size();
      events = all.subList(from, to).stream().map(MetricsHttpServer::event).toList();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("lastSequence", lastSequence);
    body.put("more", more);
    body.put("events", events);
    json(exchange, 200, body);
  }

  /** Index of the first event with a sequence above {@code after} (events are in sequence order). */
  private static int firstAfter(List<TrainingEvent> events, long after) {
    int low = 0;
    int high = events.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (events.get(mid).getSequence() <= after) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private static Optional<String> query(HttpExchange exchange, String name) {
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return Optional.empty();
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return Optional.of(java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  private static void asset(HttpExchange exchange, Optional<PageAssets.Asset> asset) throws IOException {
    if (asset.isEmpty()) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    send(exchange, 200, asset.get().contentType(), asset.get().body());
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
    summary.put("latest", view.values().stream().map(MetricsHttpServer::latest).toList());
    return summary;
  }

  /** A series' latest value; an estimate also with its interval's {@code low} and {@code high}, when known. */
  private static Map<String, Object> latest(LiveRuns.SeriesValue value) {
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("name", value.name());
    latest.put("labels", value.labels());
    latest.put("value", value.value());
    if (value.low() != null && value.high() != null) {
      latest.put("low", value.low());
      latest.put("high", value.high());
    }
    return latest;
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
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
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
