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
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The metrics service's speed bar (issue 6, docs/benchmarks.md): push events at a fixed rate for
 * a fixed time through the embedded broker and the service, and measure the delay from each
 * event's timestamp to its value appearing on {@code /metrics}.
 *
 * <p>Each event is a run-level STEP event whose {@code step} is its sequence, so
 * {@code memoscope_step{run}} on a scrape says which events of the run have been applied: when a
 * scrape shows step s, every event up to s is there, and its delay is the time that scrape's
 * answer arrived minus the event's timestamp. Scrapes run back to back in their own thread, so
 * the figures include up to one scrape's duration of sampling delay (an upper bound, as a
 * Prometheus scrape would see it). Lost = events sent whose value never appeared within 60 s
 * after the last send; memoscope_events_total is cross-checked.
 *
 * <p>A warm-up phase at the same rate, on runs of its own, comes first and is reported apart: on
 * a cold JVM the first seconds are spent compiling (Avro, Kafka Streams, the broker), which is a
 * start-up cost, not the service's steady delay. Both figures are printed.
 *
 * <p>Arguments: events per second (10000), seconds measured (30), runs (4), warm-up seconds (10).
 */
public final class MetricsLatencyBenchmark {

  record Result(int sent, double sendSeconds, long sendFailures, long[] sortedDelays, int lost, long[] worstPerSecond) {
    long percentile(double p) {
      return sortedDelays.length == 0 ? -1
          : sortedDelays[(int) Math.min(sortedDelays.length - 1, Math.ceil(p * sortedDelays.length) - 1)];
    }
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    Path stateDir = Files.createTempDirectory("metrics-bench");
    System.out.printf("metrics latency: %d events/s, %d s warm-up then %d s measured, over %d runs, %d cores%n",
        rate, warmup, seconds, runs, Runtime.getRuntime().availableProcessors());

    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        MetricsService service = new MetricsService(MetricsConfig.defaults(
            new KafkaConnection(kafka.bootstrapServers(), Map.of()), stateDir)
            .withApplicationId("metrics-bench").withHttp("127.0.0.1", 0)).start()) {
      long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Http.get(service.url() + "/readyz").statusCode() != 200) {
        if (System.nanoTime() > readyBy) {
          throw new IllegalStateException("the service was not ready within 60 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      Map<String, Object> config = ProducerSettings.safe(new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers())));
      config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
      try (KafkaProducer<String, TrainingEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
          MemoscopeSerdes.trainingEvent().serializer())) {
        if (warmup > 0) {
          report("warm-up", phase(producer, service.url() + "/metrics", "warmup", rate, warmup, runs));
        }
        Result result = phase(producer, service.url() + "/metrics", "bench", rate, seconds, runs);
        report("measured", result);
        String last = Http.body(service.url() + "/metrics");
        double eventsTotal = last.lines().filter(l -> l.startsWith("memoscope_events_total{") && l.contains("kind=\"STEP\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        long expected = (long) rate * (seconds + warmup);
        System.out.printf("memoscope_events_total{kind=STEP} = %.0f (sent %d)%n", eventsTotal, expected);
        boolean pass = result.percentile(0.99) >= 0 && result.percentile(0.99) <= 2000 && result.lost() == 0
            && result.sendFailures() == 0 && eventsTotal == expected;
        System.out.println(pass ? "PASS (bar: p99 <= 2 s, no event lost)" : "FAIL (bar: p99 <= 2 s, no event lost)");
      }
    }
  }

  private static void report(String phase, Result r) {
    System.out.printf("%s: sent %d events in %.1f s (%.0f/s), %d send failures%n", phase, r.sent(), r.sendSeconds(),
        r.sent() / r.sendSeconds(), r.sendFailures());
    System.out.printf("%s: delay event timestamp -> value on /metrics: p50 %d ms, p99 %d ms, max %d ms; lost %d%n",
        phase, r.percentile(0.5), r.percentile(0.99), r.percentile(1.0), r.lost());
    System.out.printf("%s: worst delay (ms) by second of sending: %s%n", phase, Arrays.toString(r.worstPerSecond()));
  }

  private static Result phase(KafkaProducer<String, TrainingEvent> producer, String metricsUrl, String prefix, int rate,
      int seconds, int runs) throws InterruptedException {
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
    Thread scraper = new Thread(() -> {
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
    }, "bench-scraper");
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
        TrainingEvent event = TrainingEvent.newBuilder().setRunId(prefix + "-" + r).setSequence(seq)
            .setTimestamp(Instant.ofEpochMilli(now)).setKind(EventKind.STEP).setEpoch(0).setStep(seq)
            .setMetrics(Map.of("loss_class", 1.0 / (seq + 1), "accuracy_train_running", 0.5,
                "learning_rate", 0.01, "samples_per_second", 1000.0, "consumer_lag", 10.0))
            .setLabels(Map.of()).setMessage(null).build();
        producer.send(new ProducerRecord<>(Topics.EVENTS, event.getRunId(), event), (md, e) -> {
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
