package io.memoscope.ingest.bench;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.ingest.Ingest;
import io.memoscope.ingest.IngestConfig;
import io.memoscope.ingest.IngestProgress;
import io.memoscope.ingest.IngestSummary;
import io.memoscope.ingest.SampleSources;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.kafka.ProducerSettings;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicAdmin.IfExists;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Ingest throughput against Kafka's own producer benchmark, on one embedded broker in one JVM.
 *
 * <p>Ingest: Fashion-MNIST train + test (70,000 images) from Debian's dataset-fashion-mnist files,
 * read, labelled, Avro-encoded, sent in one transaction, committed and verified. Baseline: {@code
 * org.apache.kafka.tools.ProducerPerformance} sending as many records of the same average size to a
 * fresh one-partition topic, with the same producer settings (acks, idempotence, compression,
 * batching, requests in flight) in one transaction. The two alternate, after a warm-up of each; the
 * statistic is the median of the rounds' own ratios, with their min–max.
 *
 * <p>What each rate times. Ingest: from the first image read to the verified commit (read, decode,
 * encode, send, flush, commit, end-offset check); not the producer's creation, its {@code
 * initTransactions}, the topics' set-up, nor the producer's close. ProducerPerformance: from after
 * its {@code initTransactions} to after its commit and its producer's close; not the producer's
 * creation nor the topic's creation (done here, before it runs). Both spans include the first
 * send's metadata fetch and the making of the data (gunzipping and decoding the IDX files;
 * ProducerPerformance's random payload). Ingest's records also carry an 8-byte key (none on
 * ProducerPerformance's), and ingest writes one more record, the DatasetInfo, to a third partition
 * of its transaction.
 *
 * <p>Run: {@code bench/ingest.sh [rounds]}.
 */
public final class IngestBenchmark {

  private static final Pattern RATE = Pattern.compile("([\\d.]+) records/sec");

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    String verdict;
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
      String bootstrap = kafka.bootstrapServers();
      Bench bench = new Bench(bootstrap);
      System.out.println("warming up ...");
      IngestSummary warm = bench.ingest("warm-up");
      int recordSize = (int) Math.round((double) warm.bytes() / warm.totalRecords());
      long records = warm.totalRecords();
      bench.producerPerformance("warm-up", records, recordSize);

      List<Double> ingestRates = new ArrayList<>();
      List<Double> baselineRates = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double baseline = bench.producerPerformance("round-" + round, records, recordSize);
        IngestSummary summary = bench.ingest("round-" + round);
        double ingest = summary.imagesPerSecond();
        baselineRates.add(baseline);
        ingestRates.add(ingest);
        System.out.printf(
            Locale.ROOT,
            "round %d: ingest %,.0f images/s, ProducerPerformance %,.0f records/s, ratio %.2f%n",
            round,
            ingest,
            baseline,
            ingest / baseline);
      }
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        ratios.add(ingestRates.get(i) / baselineRates.get(i));
      }
      System.out.printf(
          Locale.ROOT,
          "%nFashion-MNIST, %,d records of %d bytes (average), %d rounds, medians:%n"
              + "  memoscope ingest      %,10.0f images/s%n"
              + "  ProducerPerformance   %,10.0f records/s%n",
          records,
          recordSize,
          rounds,
          median(ingestRates),
          median(baselineRates));
      verdict =
          String.format(
              Locale.ROOT,
              "ratio ingest / ProducerPerformance: median %.3f (min %.3f, max %.3f) over %d paired rounds",
              median(ratios),
              Collections.min(ratios),
              Collections.max(ratios),
              rounds);
    }
    // Last, after the broker's shutdown logging.
    System.out.println(verdict);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private record Bench(String bootstrap) {

    IngestSummary ingest(String name) {
      try (OpenedDataset data =
          SampleSources.discover().named("idx").open(SourceOptions.of(Map.of()))) {
        return new Ingest(
                Map.of("bootstrap.servers", bootstrap),
                IngestConfig.defaults("bench-" + name),
                IngestProgress.NONE,
                () -> false)
            .run(data);
      }
    }

    /**
     * @return records/s as ProducerPerformance reports it
     */
    double producerPerformance(String name, long records, int recordSize) throws Exception {
      String topic = "bench-baseline-" + name;
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        TopicAdmin.createTopic(
            admin, new NewTopic(topic, 1, (short) 1), IfExists.FAIL, Duration.ofSeconds(30));
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--topic",
                  topic,
                  "--num-records",
                  Long.toString(records),
                  "--record-size",
                  Integer.toString(recordSize),
                  "--throughput",
                  "-1",
                  "--transactional-id",
                  "bench-" + name,
                  "--transaction-duration-ms",
                  "3600000",
                  "--producer-props"));
      // The ingest's own producer settings, so only the work around the producer differs.
      Map<String, Object> settings = ProducerSettings.safe(Map.of("bootstrap.servers", bootstrap));
      settings.put("linger.ms", 10);
      settings.put("batch.size", 256 * 1024);
      settings.put("compression.type", "none");
      settings.forEach((key, value) -> args.add(key + "=" + value));

      PrintStream stdout = System.out;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        ProducerPerformance.main(args.toArray(String[]::new));
      } finally {
        System.setOut(stdout);
      }
      String output = captured.toString(StandardCharsets.UTF_8);
      String summary =
          output
              .lines()
              .filter(l -> l.startsWith(records + " records sent"))
              .reduce((a, b) -> b)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no summary line from ProducerPerformance:\n" + output));
      Matcher m = RATE.matcher(summary);
      if (!m.find()) {
        throw new IllegalStateException("cannot read the rate from: " + summary);
      }
      return Double.parseDouble(m.group(1));
    }
  }
}
