package io.memoscope.cli;

import io.memoscope.ingest.ConsoleProgress;
import io.memoscope.ingest.Ingest;
import io.memoscope.ingest.IngestConfig;
import io.memoscope.ingest.IngestSummary;
import io.memoscope.ingest.SampleSources;
import io.memoscope.ingest.source.IdxSource;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.KafkaFutures;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The demo's data set: Fashion-MNIST from Debian's folder, any IDX folder, or a synthetic
 * Fashion-MNIST-like set (28×28 grey, 10 classes); ingested once, reused by later starts.
 *
 * @param source the ingest source ({@code idx} or {@code synthetic})
 * @param options the source's options
 * @param dataset the data set name; it carries the subset size, so another --limit is another data
 *     set
 * @param description what the demo says it uses
 */
record DemoData(String source, Map<String, String> options, String dataset, String description) {

  /**
   * Picks the data: {@code dir} if given (it must exist), else Debian's Fashion-MNIST when
   * installed, else synthetic.
   */
  static DemoData choose(Path dir, boolean synthetic, long limit, String datasetName) {
    String size = sizeSuffix(limit);
    if (synthetic || (dir == null && !Files.isDirectory(IdxSource.DEFAULT_DIR))) {
      String why =
          synthetic
              ? "--synthetic"
              : IdxSource.DEFAULT_DIR
                  + " not found (Debian: apt-get install dataset-fashion-mnist)";
      long testCount = Math.max(1, limit / 6);
      return new DemoData(
          "synthetic",
          Map.of("count", Long.toString(limit), "test-count", Long.toString(testCount)),
          name(datasetName, "synthetic-" + size),
          "a synthetic Fashion-MNIST-like set (28x28 grey, 10 classes; " + why + ")");
    }
    Path folder = (dir == null ? IdxSource.DEFAULT_DIR : dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "--data "
              + folder
              + ": no such folder (give a folder of IDX files, or"
              + " --synthetic)");
    }
    String base =
        folder.getFileName() == null
            ? "idx"
            : folder
                .getFileName()
                .toString()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_-]+", "-")
                .replaceAll("^-+|-+$", "");
    base = base.isEmpty() ? "idx" : base.substring(0, Math.min(base.length(), 40));
    String what =
        folder.equals(IdxSource.DEFAULT_DIR)
            ? "Fashion-MNIST from " + folder
            : "the IDX files in " + folder;
    return new DemoData(
        "idx", Map.of("dir", folder.toString()), name(datasetName, base + "-" + size), what);
  }

  private static String name(String given, String derived) {
    String name = given == null ? derived : given;
    Topics.validateDatasetName(name);
    return name;
  }

  /** 10000 → "10k", 2500 → "2500". */
  static String sizeSuffix(long limit) {
    return limit % 1000 == 0 ? limit / 1000 + "k" : Long.toString(limit);
  }

  /**
   * Ingests the data set unless a previous start already did (its train topic holds committed
   * records; an ingest is all or nothing, so that means the whole of it).
   */
  void ingestUnlessPresent(
      Map<String, Object> clientConfig,
      long limit,
      Duration timeout,
      BooleanSupplier cancelled,
      PrintWriter out)
      throws Exception {
    if (present(clientConfig, timeout)) {
      out.printf(
          "data: %s already in Kafka as data set %s: reusing it, no ingest%n",
          description, dataset);
      out.flush();
      return;
    }
    out.printf(
        "data: ingesting %s as data set %s (at most %,d images per split) ...%n",
        description, dataset, limit);
    out.flush();
    IngestConfig config = IngestConfig.defaults(dataset).withLimit(limit).withTimeout(timeout);
    try (OpenedDataset data =
        SampleSources.discover().named(source).open(SourceOptions.of(options))) {
      IngestSummary summary =
          new Ingest(
                  clientConfig,
                  config,
                  ConsoleProgress.forStderr(System.console() != null),
                  cancelled)
              .run(data);
      out.println(summary.line());
      out.flush();
    }
  }

  private boolean present(Map<String, Object> clientConfig, Duration timeout) throws Exception {
    String topic = Topics.samples(dataset, Split.train);
    try (Admin admin = Admin.create(clientConfig)) {
      TopicDescription description;
      try {
        description =
            KafkaFutures.await(
                    admin.describeTopics(List.of(topic)).allTopicNames(),
                    timeout,
                    "describing " + topic)
                .get(topic);
      } catch (UnknownTopicOrPartitionException e) {
        return false;
      }
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return KafkaFutures.get(
              admin
                  .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                  .all(),
              timeout,
              "listing the offsets of " + topic)
          .values()
          .stream()
          .anyMatch(info -> info.offset() > 0);
    }
  }
}
