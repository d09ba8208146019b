package io.memoscope.cli.bench;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.ingest.Ingest;
import io.memoscope.ingest.IngestConfig;
import io.memoscope.ingest.IngestProgress;
import io.memoscope.ingest.SampleSources;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import io.memoscope.trainer.train.InMemoryData;
import io.memoscope.trainer.train.TrainingListener;
import io.memoscope.trainer.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same model, config and number of steps trained (a) on samples held in memory and (b) streamed
 * from the embedded broker through the whole consumer / decode / shuffle / prefetch path, in one
 * JVM; prints both rates and the ratio (docs/benchmarks.md, bench/streaming.sh).
 */
public final class StreamingBenchmark {

  private StreamingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 12_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
            Map.of("epochs", "2", "batch-size", "128", "eval.every", "1000", "eval.subset", "256"));
    Path work = Files.createTempDirectory("memoscope-streaming-bench");
    String verdict;
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
      Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
      try (OpenedDataset data =
          SampleSources.discover()
              .named("synthetic")
              .open(
                  SourceOptions.of(
                      Map.of("count", Integer.toString(count), "test-count", "256")))) {
        new Ingest(client, IngestConfig.defaults("bench"), IngestProgress.NONE, () -> false)
            .run(data);
        InMemoryData memory = inMemory(data);
        List<Double> memoryRates = new ArrayList<>();
        List<Double> streamRates = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          long start = System.nanoTime();
          TrainingLoop.inMemory(config, memory, TrainingListener.NONE, 1_000_000, 1_000_000).run();
          double memoryRate =
              (double) count * config.epochs() / ((System.nanoTime() - start) / 1e9);
          // Both clocks span the same work: building the model, preparing the evaluation samples
          // and
          // training; the streamed one also holds what streaming adds (manifest, topics, reading).
          start = System.nanoTime();
          RunSummary streamed =
              new StreamingRun(
                      client,
                      TopicSettings.DEFAULTS,
                      new RunOptions(
                          "bench-" + round,
                          new RunMode.Fresh("bench", config),
                          work.resolve("run-" + round),
                          "bench",
                          new RunTuning(
                              1_000_000, 1_000_000, 4, Duration.ofSeconds(30), 1_000_000, 1)),
                      TrainingListener.NONE)
                  .run();
          double streamRate =
              (double) count * config.epochs() / ((System.nanoTime() - start) / 1e9);
          memoryRates.add(memoryRate);
          streamRates.add(streamRate);
          System.out.printf(
              Locale.ROOT,
              "round %d: in-memory %,.0f samples/s, streamed %,.0f samples/s, ratio %.3f"
                  + " (streamed training waited %.2f s for data)%n",
              round,
              memoryRate,
              streamRate,
              streamRate / memoryRate,
              streamed.dataWaitSeconds());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          ratios.add(streamRates.get(i) / memoryRates.get(i));
        }
        System.out.printf(
            Locale.ROOT,
            "%nsmall-cnn, %,d synthetic 28x28 samples, batch 128, %d epochs, medians of %d:%n"
                + "  in-memory  %,8.0f samples/s%n  streamed   %,8.0f samples/s%n",
            count,
            config.epochs(),
            rounds,
            median(memoryRates),
            median(streamRates));
        verdict =
            String.format(
                Locale.ROOT,
                "ratio streamed / in-memory: median %.3f (min %.3f, max %.3f) over %d paired rounds",
                median(ratios),
                Collections.min(ratios),
                Collections.max(ratios),
                rounds);
      }
    }
    // Last, after the broker's shutdown logging.
    System.out.println(verdict);
  }

  /** The data set as the streaming path would decode it, held in memory. */
  private static InMemoryData inMemory(OpenedDataset data) {
    List<List<SampleView>> splits = new ArrayList<>();
    for (Split split : Split.values()) {
      List<SampleView> views = new ArrayList<>();
      data.read(
          split,
          raw -> {
            int[] random =
                RandomLabels.labels(
                        IngestConfig.DEFAULT_SEED,
                        "bench",
                        split,
                        raw.index(),
                        1,
                        IngestConfig.DEFAULT_RANDOM_CLASSES)
                    .stream()
                    .mapToInt(Integer::intValue)
                    .toArray();
            views.add(
                new SampleView(
                    raw.index(),
                    raw.label(),
                    random,
                    raw.pixels(),
                    data.shape().height(),
                    data.shape().width(),
                    data.shape().channels()));
            return true;
          });
      splits.add(views);
    }
    return new InMemoryData(
        splits.get(0),
        splits.get(1),
        new InputShape(data.shape().height(), data.shape().width(), data.shape().channels()),
        data.classNames().size(),
        IngestConfig.DEFAULT_RANDOM_CLASSES,
        1);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
