package io.memoscope.metrics.bench;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.metrics.Http;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.metrics.MetricsService;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The metrics service's speed bar (issue 6, docs/benchmarks.md): push events at a fixed rate for a
 * fixed time through the embedded broker and the service, and measure the delay from each event's
 * timestamp to its value appearing on {@code /metrics}.
 *
 * <p>Each event is a run-level STEP event whose {@code step} is its sequence, so {@code
 * memoscope_step{run}} on a scrape says which events of the run have been applied: when a scrape
 * shows step s, every event up to s is there, and its delay is the time that scrape's answer
 * arrived minus the event's timestamp. Scrapes run back to back in their own thread, so the figures
 * include up to one scrape's duration of sampling delay (an upper bound, as a Prometheus scrape
 * would see it). Lost = events sent whose value never appeared within 60 s after the last send;
 * memoscope_events_total is cross-checked.
 *
 * <p>A warm-up phase at the same rate, on runs of its own, comes first and is reported apart: on a
 * cold JVM the first seconds are spent compiling (Avro, Kafka Streams, the broker), which is a
 * start-up cost, not the service's steady delay. Both figures are printed.
 *
 * <p>Cold start as users meet it: with a fifth argument, the launcher ({@code ./memoscope}), the
 * service runs as a JVM of its own, started the way users start it ({@code memoscope metrics
 * --bootstrap ...}), after the broker and this JVM's producer have been warmed for {@value
 * #BROKER_WARMUP_SECONDS} s on a topic of their own: the broker has been running, the service is
 * what starts cold. Its delays count from its readiness ({@code /readyz}).
 *
 * <p>Arguments: events per second (10000), seconds measured (30), runs (4), warm-up seconds (10),
 * service ({@value #IN_JVM}, or the launcher to start it with).
 */
public final class MetricsLatencyBenchmark {

  record Result(
      int sent,
      double sendSeconds,
      long sendFailures,
      long[] sortedDelays,
      int lost,
      long[] worstPerSecond) {
    long percentile(double p) {
      return sortedDelays.length == 0
          ? -1
          : sortedDelays[
              (int) Math.min(sortedDelays.length - 1, Math.ceil(p * sortedDelays.length) - 1)];
    }
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    String launcher = args.length > 4 && !args[4].equals(IN_JVM) ? args[4] : null;
    Path stateDir = Files.createTempDirectory("metrics-bench");
    System.out.printf(
        "metrics latency: %d events/s, %d s warm-up then %d s measured, over %d runs, %d cores; service %s%n",
        rate,
        warmup,
        seconds,
        runs,
        Runtime.getRuntime().availableProcessors(),
        launcher == null ? "in this JVM" : "as its own JVM: " + launcher + " metrics");

    String verdict;
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
      Map<String, Object> config =
          ProducerSettings.safe(
              new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers())));
      config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
      try (KafkaProducer<String, TrainingEvent> producer =
          new KafkaProducer<>(
              config, new StringSerializer(), MemoscopeSerdes.trainingEvent().serializer())) {
        if (launcher != null) {
          // The user's setting: a broker that has been running, then `memoscope metrics` started on
          // its own. Warm this JVM (broker, producer) first, so that the figures are the service's.
          warmBroker(kafka.bootstrapServers(), producer, rate, BROKER_WARMUP_SECONDS);
        }
        try (Service service =
            launcher == null
                ? Service.inJvm(kafka.bootstrapServers(), stateDir)
                : Service.process(launcher, kafka.bootstrapServers(), stateDir)) {
          long startedAt = System.nanoTime();
          long readyBy = startedAt + TimeUnit.SECONDS.toNanos(60);
          while (!ready(service.url())) {
            if (System.nanoTime() > readyBy || !service.alive()) {
              throw new IllegalStateException(
                  "the service was not ready within 60 s" + service.log());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
          }
          System.out.printf(
              "service ready %.1f s after it was started%n", (System.nanoTime() - startedAt) / 1e9);
          if (warmup > 0) {
            report(
                "warm-up",
                phase(producer, service.url() + "/metrics", "warmup", rate, warmup, runs));
          }
          Result result = phase(producer, service.url() + "/metrics", "bench", rate, seconds, runs);
          report("measured", result);
          String last = Http.body(service.url() + "/metrics");
          double eventsTotal =
              last.lines()
                  .filter(
                      l -> l.startsWith("memoscope_events_total{") && l.contains("kind=\"STEP\""))
                  .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                  .sum();
          long expected = (long) rate * (seconds + warmup);
          System.out.printf(
              "memoscope_events_total{kind=STEP} = %.0f (sent %d)%n", eventsTotal, expected);
          // Issue 11: p99 <= 1 s even from a cold JVM (issue 6 asked 2 s of a warm one).
          boolean pass =
              result.percentile(0.99) >= 0
                  && result.percentile(0.99) <= 1000
                  && result.lost() == 0
                  && result.sendFailures() == 0
                  && eventsTotal == expected;
          verdict =
              String.format(
                  "p99 %d ms, lost %d: %s (bar: p99 <= 1 s, no event lost)",
                  result.percentile(0.99), result.lost(), pass ? "PASS" : "FAIL");
        }
      }
    }
    // Last, after the broker's and clients' shutdown logging.
    System.out.println(verdict);
  }

  /** The fifth argument that runs the service inside the benchmark's JVM (the default). */
  static final String IN_JVM = "in-jvm";

  static final int BROKER_WARMUP_SECONDS = 15;
  static final String BROKER_WARMUP_TOPIC = "bench.broker-warmup";

  /** The service under test: in this JVM, or a process of its own started through the launcher. */
  interface Service extends AutoCloseable {
    String url();

    boolean alive();

    /** The end of the process's output, for an error message (empty in this JVM). */
    String log();

    @Override
    void close() throws Exception;

    static Service inJvm(String bootstrap, Path stateDir) {
      MetricsService service =
          new MetricsService(
                  MetricsConfig.defaults(new KafkaConnection(bootstrap, Map.of()), stateDir)
                      .withApplicationId("metrics-bench")
                      .withHttp("127.0.0.1", 0))
              .start();
      return new Service() {
        public String url() {
          return service.url();
        }

        public boolean alive() {
          return true;
        }

        public String log() {
          return "";
        }

        public void close() {
          service.close();
        }
      };
    }

    static Service process(String launcher, String bootstrap, Path stateDir) throws IOException {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = stateDir.resolve("service.log");
      Process process =
          new ProcessBuilder(
                  launcher,
                  "metrics",
                  "--bootstrap",
                  bootstrap,
                  "--port",
                  String.valueOf(port),
                  "--application-id",
                  "metrics-bench",
                  "--state-dir",
                  stateDir.resolve("state").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String url = "http://127.0.0.1:" + port;
      return new Service() {
        public String url() {
          return url;
        }

        public boolean alive() {
          return process.isAlive();
        }

        public String log() {
          try {
            List<String> lines = Files.readAllLines(log);
            return "; its output ends:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
          } catch (IOException e) {
            return "";
          }
        }

        public void close() throws InterruptedException {
          process.destroy(); // SIGTERM: the launcher's JVM closes the service in its shutdown hook
          if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
      };
    }
  }

  private static boolean ready(String url) {
    try {
      return Http.get(url + "/readyz").statusCode() == 200;
    } catch (RuntimeException e) { // not listening yet
      return false;
    }
  }

  /**
   * Sends events at the rate to a topic of its own for a while and reads them back, so that the
   * broker and this JVM's clients are compiled before the service starts.
   */
  private static void warmBroker(
      String bootstrap, KafkaProducer<String, TrainingEvent> producer, int rate, int seconds) {
    Map<String, Object> consumerConfig =
        new HashMap<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-broker-warmup",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"));
    TopicAdmin.createTopic(
        Map.of("bootstrap.servers", bootstrap),
        new NewTopic(BROKER_WARMUP_TOPIC, 1, (short) 1),
        TopicAdmin.IfExists.USE_EXISTING,
        Duration.ofSeconds(30));
    long received = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(BROKER_WARMUP_TOPIC));
      long start = System.nanoTime();
      int sent = 0;
      while (sent < rate * seconds) {
        long due =
            Math.min((long) rate * seconds, (System.nanoTime() - start) * rate / 1_000_000_000L);
        for (; sent < due; sent++) {
          TrainingEvent event =
              TrainingEvent.newBuilder()
                  .setRunId("warmup")
                  .setSequence(sent)
                  .setTimestamp(Instant.now())
                  .setKind(EventKind.STEP)
                  .setEpoch(0)
                  .setStep(sent)
                  .setMetrics(Map.of("loss_class", 1.0))
                  .setLabels(Map.of())
                  .setMessage(null)
                  .build();
          producer.send(new ProducerRecord<>(BROKER_WARMUP_TOPIC, "warmup", event));
        }
        received += consumer.poll(Duration.ofMillis(1)).count(); // also paces the producer
      }
      producer.flush();
      long readBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (received < sent && System.nanoTime() < readBy) {
        received += consumer.poll(Duration.ofMillis(100)).count();
      }
      System.out.printf(
          "broker warm-up: %d events sent to %s, %d read back%n",
          sent, BROKER_WARMUP_TOPIC, received);
    }
  }

  private static void report(String phase, Result r) {
    System.out.printf(
        "%s: sent %d events in %.1f s (%.0f/s), %d send failures%n",
        phase, r.sent(), r.sendSeconds(), r.sent() / r.sendSeconds(), r.sendFailures());
    System.out.printf(
        "%s: delay event timestamp -> value on /metrics: p50 %d ms, p99 %d ms, max %d ms; lost %d%n",
        phase, r.percentile(0.5), r.percentile(0.99), r.percentile(1.0), r.lost());
    System.out.printf(
        "%s: worst delay (ms) by second of sending: %s%n",
        phase, Arrays.toString(r.worstPerSecond()));
  }

  private static Result phase(
      KafkaProducer<String, TrainingEvent> producer,
      String metricsUrl,
      String prefix,
      int rate,
      int seconds,
      int runs)
      throws InterruptedException {
    int total = rate * seconds;
    int perRun = (total + runs - 1) / runs;
    long[][] sentAt = new long[runs][perRun];
    int[] sentPerRun = new int[runs];
    long[][] delays = new long[runs][perRun];
    for (long[] d : delays) {
      Arrays.fill(d, -1);
    }
    long[] applied = new long[runs];
    Arrays.fill(applied, -1);
    AtomicLong sendFailures = new AtomicLong();
    String runLabel = "run=\"" + prefix + "-";
    Object lock = new Object();
    Thread scraper =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                String body;
                try {
                  body = Http.body(metricsUrl);
                } catch (RuntimeException e) {
                  System.err.println("scrape failed: " + e);
                  continue;
                }
                long now = System.currentTimeMillis();
                for (String line : body.split("\n")) {
                  int at = line.startsWith("memoscope_step{") ? line.indexOf(runLabel) : -1;
                  if (at < 0) {
                    continue;
                  }
                  int from = at + runLabel.length();
                  int r = Integer.parseInt(line.substring(from, line.indexOf('"', from)));
                  long step = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                  synchronized (lock) {
                    for (long s = applied[r] + 1; s <= step && s < perRun; s++) {
                      delays[r][(int) s] = now - sentAt[r][(int) s];
                    }
                    applied[r] = Math.max(applied[r], step);
                  }
                }
              }
            },
            "bench-scraper");
    scraper.setDaemon(true);
    scraper.start();

    long start = System.nanoTime();
    long startMs = System.currentTimeMillis();
    int sent = 0;
    while (sent < total) {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      while (sent < due) {
        int r = sent % runs;
        long now = System.currentTimeMillis();
        int seq;
        synchronized (lock) {
          seq = sentPerRun[r]++;
          sentAt[r][seq] = now;
        }
        TrainingEvent event =
            TrainingEvent.newBuilder()
                .setRunId(prefix + "-" + r)
                .setSequence(seq)
                .setTimestamp(Instant.ofEpochMilli(now))
                .setKind(EventKind.STEP)
                .setEpoch(0)
                .setStep(seq)
                .setMetrics(
                    Map.of(
                        "loss_class",
                        1.0 / (seq + 1),
                        "accuracy_train_running",
                        0.5,
                        "learning_rate",
                        0.01,
                        "samples_per_second",
                        1000.0,
                        "consumer_lag",
                        10.0))
                .setLabels(Map.of())
                .setMessage(null)
                .build();
        producer.send(
            new ProducerRecord<>(Topics.EVENTS, event.getRunId(), event),
            (md, e) -> {
              if (e != null) {
                sendFailures.incrementAndGet();
              }
            });
        sent++;
      }
      LockSupport.parkNanos(200_000); // paces the producer to the rate; not synchronization
    }
    producer.flush();
    double sendSeconds = (System.nanoTime() - start) / 1e9;

    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < waitUntil) {
      synchronized (lock) {
        boolean all = true;
        for (int r = 0; r < runs; r++) {
          all &= applied[r] >= sentPerRun[r] - 1;
        }
        if (all) {
          break;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    scraper.interrupt();
    scraper.join(30_000);

    synchronized (lock) {
      long[] measured = new long[total];
      long[] worstPerSecond = new long[seconds + 1];
      int n = 0;
      int lost = 0;
      for (int r = 0; r < runs; r++) {
        for (int s = 0; s < sentPerRun[r]; s++) {
          if (delays[r][s] < 0) {
            lost++;
            continue;
          }
          measured[n++] = delays[r][s];
          int second = (int) Math.min(seconds, (sentAt[r][s] - startMs) / 1000);
          worstPerSecond[second] = Math.max(worstPerSecond[second], delays[r][s]);
        }
      }
      long[] sorted = Arrays.copyOf(measured, n);
      Arrays.sort(sorted);
      return new Result(sent, sendSeconds, sendFailures.get(), sorted, lost, worstPerSecond);
    }
  }
}
