package io.memoscope.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TrainingEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoints, on the JDK's own server (no web framework for a few read-only
 * routes): {@code /metrics}, {@code /api/runs}, {@code /api/runs/{id}}, {@code
 * /api/runs/{id}/series?after=SEQ}, {@code /api/runs/{id}/openmetrics}, the per-sample endpoints
 * under {@code /api/runs/{id}/samples} ({@link SamplesApi}), {@code /healthz}, {@code /readyz}, and
 * the live page at {@code /} with its files under {@code /page/} and {@code /assets/}. GET only;
 * every error is a short text body with the status code, and a failure's body is generic: what went
 * wrong is in the service's log, not told to any client.
 *
 * <p>Two kinds of work, kept apart so that history requests cannot starve a Prometheus scrape: the
 * server's own threads answer {@code /metrics}, {@code /healthz}, {@code /readyz}, {@code
 * /api/runs} and the page's files, each from memory; the history endpoints ({@code /api/runs/{id}},
 * its {@code /series} and {@code /openmetrics}) read Kafka and build bodies of up to megabytes, so
 * they are handed to {@link HistoryRequests}, bounded in number and queue, and read through the
 * {@link HistoryCache}, bounded in events.
 */
final class MetricsHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsHttpServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .registerModule(EventJson.module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** The body of every 500: the details go to the log only (they may name hosts, files or data). */
  static final String INTERNAL_ERROR = "internal error; see the service's log\n";

  /** The body of a 503 when the history endpoints are saturated or Kafka did not answer in time. */
  static final String BUSY = "history temporarily unavailable; retry later\n";

  /** Seconds a client is asked to wait after a 503 of the history endpoints. */
  static final int RETRY_AFTER_SECONDS = 2;

  private final HttpServer server;
  private final ExecutorService executor;
  private final MetricsService service;
  private final HistoryRequests historyRequests;
  private final HistoryCache histories;
  private final SamplesApi samples;

  /** The part of a run's path under which {@link SamplesApi} answers. */
  static final String SAMPLES_PATH = "/samples";

  static final String HEALTHZ = "/healthz";

  /** Most events one /series answer carries; the page asks again for the rest. */
  static final int SERIES_LIMIT = 5_000;

  private MetricsHttpServer(
      HttpServer server, ExecutorService executor, MetricsService service, HistoryLimits limits) {
    this.server = server;
    this.executor = executor;
    this.service = service;
    this.historyRequests = new HistoryRequests(limits);
    this.histories =
        new HistoryCache(
            service.config().clientConfig(), service.config().historyTimeout(), limits);
    this.samples =
        new SamplesApi(
            new SamplesApi.Source(service::samples, service::sampleSubset, this::dataset),
            new Thumbnails(
                new SampleImages(
                    service.config().clientConfig(), service.config().historyTimeout())));
  }

  static MetricsHttpServer start(InetSocketAddress address, MetricsService service) {
    return start(address, service, HistoryLimits.DEFAULTS);
  }

  static MetricsHttpServer start(
      InetSocketAddress address, MetricsService service, HistoryLimits limits) {
    return start(address, service, limits, HttpSecurity.NONE);
  }

  static MetricsHttpServer start(
      InetSocketAddress address,
      MetricsService service,
      HistoryLimits limits,
      HttpSecurity security) {
    try {
      HttpServer server =
          security.tls().isPresent()
              ? HttpsServers.create(address, security.tls().get())
              : HttpServer.create(address, 0);
      // Only in-memory answers run here (history requests are handed on at once), so two
      // threads keep up with scrapes and the page whatever the history endpoints are doing.
      ExecutorService executor =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "memoscope-metrics-http");
                t.setDaemon(true);
                return t;
              });
      MetricsHttpServer http = new MetricsHttpServer(server, executor, service, limits);
      HttpContext everything = server.createContext("/", http::handle);
      security
          .basicAuth()
          .ifPresent(
              auth -> {
                everything.setAuthenticator(new OneUser(auth));
                // A liveness probe needs no password and reads nothing of the runs.
                server.createContext(HEALTHZ, http::handle);
              });
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
    String path = exchange.getRequestURI().getPath();
    boolean read =
        "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
    if (read && path.startsWith("/api/runs/") && path.length() > "/api/runs/".length()) {
      // The exchange stays open: a history worker answers and closes it.
      if (!historyRequests.submit(() -> answerHistory(exchange, path))) {
        try (exchange) {
          log.warn(
              "{} refused: every history worker is busy and the queue is full",
              exchange.getRequestURI());
          busy(exchange);
        }
      }
      return;
    }
    try (exchange) {
      if (!read) {
        send(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
        return;
      }
      switch (path) {
        case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, service.scrape());
        case HEALTHZ ->
            send(
                exchange,
                service.healthy() ? 200 : 503,
                "text/plain; charset=utf-8",
                service.state() + "\n");
        case "/readyz" -> {
          boolean ready = service.ready();
          send(
              exchange,
              ready ? 200 : 503,
              "text/plain; charset=utf-8",
              (ready ? "ready" : "not ready: " + service.notReadyReason()) + "\n");
        }
        case "/api/runs", "/api/runs/" ->
            json(
                exchange,
                200,
                service.live().runs().stream().map(MetricsHttpServer::summary).toList());
        case "/", "/index.html" -> asset(exchange, PageAssets.index());
        default -> {
          if (path.startsWith("/page/")) {
            asset(exchange, PageAssets.page(path.substring("/page/".length())));
          } else if (path.startsWith("/assets/")) {
            asset(exchange, PageAssets.library(path.substring("/assets/".length())));
          } else {
            send(
                exchange,
                404,
                "text/plain; charset=utf-8",
                "not found; try /, /metrics or /api/runs\n");
          }
        }
      }
    } catch (RuntimeException e) {
      internalError(exchange, e);
    }
  }

  /** On a history worker: answers {@code /api/runs/{id}...} and closes the exchange. */
  private void answerHistory(HttpExchange exchange, String path) {
    try (exchange) {
      try {
        routeRun(exchange, path.substring("/api/runs/".length()));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        log.warn("{}: Kafka did not answer in time", exchange.getRequestURI(), e);
        busy(exchange);
      } catch (InvalidStateStoreException e) {
        // The sample stores are not queryable while Kafka Streams starts, rebalances or rebuilds.
        log.debug("{}: the state stores are not queryable now", exchange.getRequestURI(), e);
        busy(exchange);
      } catch (RuntimeException e) {
        internalError(exchange, e);
      }
    } catch (IOException e) {
      log.debug("{}: the client went away", exchange.getRequestURI(), e);
    }
  }

  private static void busy(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    send(exchange, 503, "text/plain; charset=utf-8", BUSY);
  }

  private static void internalError(HttpExchange exchange, RuntimeException e) throws IOException {
    log.warn("{} failed", exchange.getRequestURI(), e);
    send(exchange, 500, "text/plain; charset=utf-8", INTERNAL_ERROR);
  }

  private void routeRun(HttpExchange exchange, String rest) throws IOException {
    int samplesAt = rest.indexOf(SAMPLES_PATH);
    if (samplesAt >= 0) {
      answer(
          exchange,
          samples.answer(
              rest.substring(0, samplesAt),
              rest.substring(samplesAt + SAMPLES_PATH.length()),
              query(exchange)));
      return;
    }
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
    HistoryCache.Snapshot snapshot = histories.read(run);
    List<TrainingEvent> history = snapshot.events();
    if (view.isEmpty() && history.isEmpty()) {
      send(exchange, 404, "text/plain; charset=utf-8", "no run " + run + "\n");
      return;
    }
    String dataset = dataset(run).orElse("");
    if (openMetrics) {
      send(
          exchange,
          200,
          OpenMetricsWriter.CONTENT_TYPE,
          OpenMetricsWriter.write(run, dataset, history));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("dataset", dataset);
    body.put("live", view.isPresent());
    view.ifPresent(v -> body.putAll(summary(v)));
    body.put("run", run);
    body.put("dataset", dataset);
    body.put("truncated", snapshot.truncated());
    body.put("series", history);
    json(exchange, 200, body);
  }

  /** The run's data set: from its live view, else from its manifest; empty while unknown. */
  private Optional<String> dataset(String run) {
    return service
        .live()
        .run(run)
        .map(v -> v.meta().datasetLabel())
        .filter(d -> !d.isEmpty())
        .or(() -> service.manifest(run).map(RunManifest::getDataset));
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
      after = Long.parseLong(query(exchange).getOrDefault("after", "-1"));
    } catch (NumberFormatException e) {
      send(exchange, 400, "text/plain; charset=utf-8", "after must be a sequence number\n");
      return;
    }
    HistoryCache.Snapshot snapshot = histories.read(run);
    List<TrainingEvent> all = snapshot.events();
    if (all.isEmpty() && service.live().run(run).isEmpty()) {
      send(exchange, 404, "text/plain; charset=utf-8", "no run " + run + "\n");
      return;
    }
    int from = firstAfter(all, after);
    int to = Math.min(all.size(), from + SERIES_LIMIT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("lastSequence", snapshot.lastSequence());
    body.put("more", to < all.size());
    body.put("truncated", snapshot.truncated());
    body.put("events", all.subList(from, to));
    json(exchange, 200, body);
  }

  /**
   * Index of the first event with a sequence above {@code after} (events are in sequence order).
   */
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

  /** The request's query parameters, decoded; of a parameter given twice, the first. */
  private static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    Map<String, String> parameters = new LinkedHashMap<>();
    if (raw == null) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      parameters.putIfAbsent(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static void answer(HttpExchange exchange, SamplesApi.Answer answer) throws IOException {
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    if (answer.json() != null) {
      json(exchange, answer.status(), answer.json());
    } else {
      send(exchange, answer.status(), answer.contentType(), answer.bytes());
    }
  }

  private static void asset(HttpExchange exchange, Optional<PageAssets.Asset> asset)
      throws IOException {
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

  /**
   * A series' latest value; an estimate also with its interval's {@code low} and {@code high}, when
   * known.
   */
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

  /**
   * Writes {@code body} as it is serialized (chunked): a history's answer is never held whole in
   * memory.
   */
  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, 0);
    try (OutputStream out =
        new java.io.BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
      JSON.writeValue(out, body);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
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
    historyRequests.close();
    executor.shutdownNow();
  }
}
