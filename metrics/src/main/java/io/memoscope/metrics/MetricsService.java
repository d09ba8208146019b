package io.memoscope.metrics;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.kafka.KafkaCallException;
import io.memoscope.protocol.kafka.KafkaFutures;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSpec;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: creates the topics it reads if they are missing, runs the Kafka Streams
 * topology, binds the Micrometer registry (ours, Kafka Streams' own client metrics, JVM) and serves
 * HTTP. {@link #start} then {@link #close}; {@code memoscope metrics}, the tests and the benchmark
 * all run it through this class.
 *
 * <p>Ready ({@code /readyz}) means: Kafka Streams is RUNNING, and the committed offsets of the
 * events topic have reached the end offsets seen when it first got there, i.e. the service has
 * caught up with the history and {@code /metrics} shows current values. Once reached, readiness
 * stays (later lag is normal operation, not a reason to take the service out of rotation), unless
 * the local state is rebuilt: then it waits for the rebuilt client to catch up. It also waits for
 * the {@link PipelineWarmup}, which runs beside Kafka Streams' start-up, so that the first events
 * after ready meet compiled code.
 *
 * <p>Local state that no longer matches the cluster is wiped and rebuilt from Kafka: before the
 * start when the state directory was written for another cluster ({@link ClusterStamp}), and
 * whenever Kafka Streams fails on offsets the topics no longer have ({@link RecoveringStreams}).
 */
public final class MetricsService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsService.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final MetricsConfig config;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final LiveRuns live = new LiveRuns(registry);
  private RecoveringStreams streams;
  private final CompletableFuture<String> failed = new CompletableFuture<>();
  private volatile KafkaStreamsMetrics streamsMetrics;
  private JvmGcMetrics gcMetrics;
  private MetricsHttpServer http;
  private HttpSecurity httpSecurity = HttpSecurity.NONE;
  private Admin admin;
  private volatile Map<TopicPartition, Long> catchUpTarget;
  private volatile boolean caughtUp;
  private final Runnable warmupWork;
  private volatile Thread warmup;

  /**
   * The system property with the number of warm-up events (default {@value
   * PipelineWarmup#DEFAULT_EVENTS}; 0 turns the warm-up off), e.g. {@code
   * MEMOSCOPE_JAVA_OPTS=-Dmemoscope.metrics.warmup-events=0}.
   */
  public static final String WARMUP_EVENTS_PROPERTY = "memoscope.metrics.warmup-events";

  public MetricsService(MetricsConfig config) {
    this(
        config,
        warmup(
            Integer.getInteger(WARMUP_EVENTS_PROPERTY, PipelineWarmup.DEFAULT_EVENTS),
            config.stateDir()));
  }

  /**
   * @param warmup what runs beside Kafka Streams' start-up and must end before ready; null: nothing
   */
  MetricsService(MetricsConfig config, Runnable warmup) {
    this.config = config;
    this.warmupWork = warmup;
  }

  private static Runnable warmup(int events, Path stateDir) {
    if (events <= 0) {
      return null;
    }
    return () -> {
      long started = System.nanoTime();
      PipelineWarmup.Result result = PipelineWarmup.run(events, stateDir);
      log.info(
          "Warm-up: {} synthetic events through the pipeline, {} scrapes, in {} ms",
          result.applied(),
          result.scrapes(),
          (System.nanoTime() - started) / 1_000_000);
    };
  }

  public MetricsService start() {
    if (warmupWork != null) {
      // Beside Kafka Streams' start-up (mostly waiting on the group coordinator), not before it.
      warmup =
          new Thread(
              () -> {
                try {
                  warmupWork.run();
                } catch (RuntimeException e) {
                  // Only speed is at stake: the service is as correct without it.
                  log.warn("Warm-up failed; the first events will be processed by a cold JVM", e);
                }
              },
              "memoscope-metrics-warmup");
      warmup.setDaemon(true);
      warmup.start();
    }
    admin = Admin.create(config.clientConfig());
    createTopics();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    String clusterId = clusterId();
    ClusterStamp stamp = new ClusterStamp(config.stateDir(), config.applicationId());
    streams =
        new RecoveringStreams(
            () ->
                new KafkaStreams(
                    MetricsTopology.build(live, config.retention(), config.maintenanceInterval()),
                    config.streamsProperties(live)),
            config,
            admin,
            () -> stamp.record(clusterId),
            new StreamsHooks());
    streams.failed().thenAccept(failed::complete);
    streams.start(stamp.mismatch(clusterId));
    http =
        MetricsHttpServer.start(
            new InetSocketAddress(config.bind(), config.port()),
            this,
            HistoryLimits.DEFAULTS,
            httpSecurity);
    return this;
  }

  /**
   * Measurement and readiness follow each Kafka Streams client, the first and every rebuilt one.
   */
  private final class StreamsHooks implements RecoveringStreams.Hooks {

    /**
     * Measures {@code next} instead of the client before it, and waits for it to catch up before
     * ready.
     */
    @Override
    public void replaced(KafkaStreams previous, KafkaStreams next) {
      if (streamsMetrics != null) {
        streamsMetrics.close();
      }
      streamsMetrics = new KafkaStreamsMetrics(next);
      streamsMetrics.bindTo(registry);
      catchUpTarget = null;
      caughtUp = false;
    }

    @Override
    public void stateChanged(KafkaStreams.State now, KafkaStreams.State before) {
      log.info("Kafka Streams: {} -> {}", before, now);
      if (now == KafkaStreams.State.RUNNING && catchUpTarget == null) {
        catchUpTarget = endOffsets();
      }
    }
  }

  /** The partitions /readyz waits for (none until Kafka Streams first runs). */
  Set<TopicPartition> catchUpPartitions() {
    Map<TopicPartition, Long> target = catchUpTarget;
    return target == null ? Set.of() : Set.copyOf(target.keySet());
  }

  /** The base URL of the HTTP server, e.g. {@code http://127.0.0.1:9404}. */
  public String url() {
    InetSocketAddress address = http.address();
    return (httpSecurity.tls().isPresent() ? "https://" : "http://")
        + address.getHostString()
        + ":"
        + address.getPort();
  }

  /**
   * Serves HTTP with {@code security} (basic auth, TLS) instead of plain, open HTTP; before {@link
   * #start}.
   */
  public MetricsService securedBy(HttpSecurity security) {
    this.httpSecurity = security;
    return this;
  }

  public LiveRuns live() {
    return live;
  }

  public MetricsConfig config() {
    return config;
  }

  /** Prometheus text of every meter, after bringing the data set gauges up to date. */
  String scrape() {
    if (state() == KafkaStreams.State.RUNNING) {
      try {
        live.syncDatasets(datasets());
      } catch (RuntimeException e) {
        log.debug("data sets not queryable yet", e);
      }
    }
    return registry.scrape();
  }

  /**
   * Completes, with the reason, when the service stops processing for good (a failure it could not
   * repair by rebuilding its state): the command serving it then exits instead of running on while
   * serving nothing.
   */
  public CompletableFuture<String> failed() {
    return failed;
  }

  boolean healthy() {
    KafkaStreams.State state = state();
    return streams.failure().isEmpty()
        && state != KafkaStreams.State.ERROR
        && state != KafkaStreams.State.NOT_RUNNING
        && state != KafkaStreams.State.PENDING_ERROR;
  }

  boolean ready() {
    if (warmingUp()) {
      return false;
    }
    if (state() != KafkaStreams.State.RUNNING || catchUpTarget == null) {
      return false;
    }
    if (!caughtUp) {
      caughtUp = committedReached(catchUpTarget);
    }
    return caughtUp;
  }

  /** Why {@link #ready} is false, for {@code /readyz}. */
  String notReadyReason() {
    if (warmingUp()) {
      return "warming up";
    }
    return streams
        .rebuilding()
        .map(why -> "rebuilding the local state from Kafka (" + why + "), " + state())
        .orElse(String.valueOf(state()));
  }

  private boolean warmingUp() {
    Thread warming = warmup;
    return warming != null && warming.isAlive();
  }

  KafkaStreams.State state() {
    return streams.current().state();
  }

  /** The run's manifest from the global {@code runs} store, if known. */
  Optional<RunManifest> manifest(String run) {
    try {
      ReadOnlyKeyValueStore<String, RunManifest> store = store(MetricsTopology.RUNS_STORE);
      return Optional.ofNullable(store.get(run));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The run's sample timelines from the state stores; empty when the run has no evaluation.
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the stores cannot be
   *     queried (Kafka Streams is starting, rebalancing or rebuilding)
   */
  Optional<SampleTimelines> samples(String run) {
    return SampleStore.read(
        run, store(MetricsTopology.SAMPLE_SUBSETS_STORE), store(MetricsTopology.SAMPLE_HITS_STORE));
  }

  /** The run's sample subset alone; see {@link #samples}. */
  Optional<SampleSubset> sampleSubset(String run) {
    return SampleStore.subset(run, store(MetricsTopology.SAMPLE_SUBSETS_STORE));
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    return streams
        .current()
        .store(
            StoreQueryParameters.fromNameAndType(
                name, QueryableStoreTypes.<String, V>keyValueStore()));
  }

  private Map<String, DatasetInfo> datasets() {
    ReadOnlyKeyValueStore<String, DatasetInfo> store = store(MetricsTopology.DATASETS_STORE);
    Map<String, DatasetInfo> all = new HashMap<>();
    try (KeyValueIterator<String, DatasetInfo> it = store.all()) {
      it.forEachRemaining(
          kv -> {
            if (kv.value != null) {
              all.put(kv.key, kv.value);
            }
          });
    }
    return all;
  }

  private void createTopics() {
    for (TopicSpec topic :
        List.of(
            TopicSpecs.events(),
            TopicSpecs.evaluations(),
            TopicSpecs.runs(),
            TopicSpecs.datasets())) {
      TopicAdmin.ensure(admin, topic, config.topics(), ADMIN_TIMEOUT);
    }
  }

  private String clusterId() {
    return KafkaFutures.get(
        admin.describeCluster().clusterId(),
        ADMIN_TIMEOUT,
        "reading the cluster id of " + config.kafka().bootstrapServers());
  }

  /** The topics whose history /readyz waits for: the events and the per-sample evaluations. */
  private static final List<String> CAUGHT_UP_TOPICS = List.of(Topics.EVENTS, Topics.EVALUATIONS);

  private Map<TopicPartition, Long> endOffsets() {
    try {
      String what = "reading the end offsets of " + CAUGHT_UP_TOPICS;
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      KafkaFutures.get(admin.describeTopics(CAUGHT_UP_TOPICS).allTopicNames(), ADMIN_TIMEOUT, what)
          .forEach(
              (topic, description) ->
                  description
                      .partitions()
                      .forEach(
                          p ->
                              latest.put(
                                  new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
      Map<TopicPartition, Long> ends = new HashMap<>();
      KafkaFutures.get(admin.listOffsets(latest).all(), ADMIN_TIMEOUT, what)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      log.info("Catching up with {} up to {}", CAUGHT_UP_TOPICS, ends);
      return ends;
    } catch (KafkaCallException e) {
      log.warn("{}; readiness will not wait for catch-up", e.getMessage(), e);
      return Map.of();
    }
  }

  private boolean committedReached(Map<TopicPartition, Long> target) {
    if (target.values().stream().allMatch(end -> end == 0)) {
      return true;
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          KafkaFutures.get(
              admin
                  .listConsumerGroupOffsets(config.applicationId())
                  .partitionsToOffsetAndMetadata(),
              ADMIN_TIMEOUT,
              "reading the committed offsets");
      return target.entrySet().stream()
          .allMatch(
              e ->
                  e.getValue() == 0
                      || (committed.get(e.getKey()) != null
                          && committed.get(e.getKey()).offset() >= e.getValue()));
    } catch (KafkaCallException e) {
      log.debug("committed offsets not readable yet", e);
      return false;
    }
  }

  @Override
  public void close() {
    Thread warming = warmup;
    if (warming != null) {
      warming.interrupt(); // a service closed during its warm-up needs it no more
    }
    if (http != null) {
      http.close();
    }
    if (streams != null) {
      streams.close();
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (gcMetrics != null) {
      gcMetrics.close();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    registry.close();
  }
}
