package io.memoscope.cli;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.config.ConfigLayer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.config.TrainingConfigLoader;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope experiment}: a sweep of training runs on one ingested data set, and a report of
 * what it found.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a sweep of training runs (a base config and named overrides, see docs/experiments.md) on one ingested"
          + " data set, each a separate trainer replaying the same topics, and write report/<name>/: report.md,"
          + " runs.csv and PNG plots. Exits 1 if any run failed (the others still run and are reported).",
    })
final class ExperimentCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Option(
      names = "--sweep",
      paramLabel = "FILE",
      required = true,
      description = "The sweep file (YAML).")
  Path sweepFile;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      required = true,
      description = "The ingested data set.")
  String dataset;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Experiment name: report folder and run-id prefix (default: the sweep's name).")
  String name;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A training config key for every run, repeatable: above the sweep's base, below each run's own"
              + " overrides (e.g. --set epochs=60 to scale a sweep up).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--seeds",
      paramLabel = "N|S1,S2,…",
      description =
          "Train every run once per seed, replacing the sweep's seeds: a number N means seeds 1 to N,"
              + " a comma list those seeds. Runs become <run>-s<seed>; findings compare each run with the baseline"
              + " of the same seed and need at least 2 seeds.")
  String seeds;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "1",
      description = "Runs trained at once, on threads (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      defaultValue = "report",
      description = "The report goes to <DIR>/<name>/ (default: ${DEFAULT-VALUE}).")
  Path reportDir;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = RunOptionDefaults.CHECKPOINT_DIR,
      description =
          "Where each run keeps its manifest and checkpoints, in <DIR>/<run-id>/ (default: ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(
      names = "--log-every",
      paramLabel = "STEPS",
      defaultValue = "" + RunTuning.LOG_EVERY,
      description = "Steps between step events (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "STEPS",
      defaultValue = "" + RunTuning.CHECKPOINT_EVERY,
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topics;

  @Override
  public Integer call() throws Exception {
    if (parallel < 1) {
      throw new ParameterException(spec.commandLine(), "--parallel must be at least 1");
    }
    long started = System.nanoTime();
    ZonedDateTime date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    Sweep sweep = Sweep.read(sweepFile);
    String experiment = name != null ? name : sweep.name();
    RunIds.validate(experiment);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> clientConfig = kafka.adminConfig(root.sources());
    TopicSettings topicSettings = topics.settings(spec, spec.commandLine().getErr());

    List<Long> seedList = seeds != null ? Sweep.parseSeeds(seeds, "--seeds") : sweep.seeds();
    List<ExperimentRun> runs = new ArrayList<>();
    // Seed-major order: with --parallel or an interrupted sweep, every configuration gets its first
    // seed before any gets a second, so the earliest pairs are complete.
    if (seedList.isEmpty()) {
      sweep
          .runs()
          .forEach(
              (run, overrides) ->
                  runs.add(
                      new ExperimentRun(
                          run, RunIds.validate(experiment + "-" + run), overrides, err)));
    } else {
      for (Long seed : seedList) {
        sweep
            .runs()
            .forEach(
                (run, overrides) ->
                    runs.add(
                        new ExperimentRun(
                            run,
                            seed,
                            RunIds.validate(experiment + "-" + run + "-s" + seed),
                            overrides,
                            err)));
      }
    }
    err.printf(
        Locale.ROOT,
        "experiment %s: %d runs on %s (%s), %d at a time%n",
        experiment,
        runs.size(),
        dataset,
        seedList.isEmpty() ? "the config's seed" : "seeds " + seedList,
        parallel);
    err.flush();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel,
            r -> {
              Thread thread = new Thread(r, "experiment-run");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (ExperimentRun run : runs) {
        futures.add(pool.submit(() -> train(run, sweep, clientConfig, topicSettings)));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }

    double wallSeconds = (System.nanoTime() - started) / 1e9;
    ExperimentReport.Context context =
        new ExperimentReport.Context(
            experiment, dataset, commandLine(), date, wallSeconds, testSamples(clientConfig));
    Path folder = reportDir.resolve(experiment);
    new ExperimentReport(context, runs).write(folder);
    long failed = runs.stream().filter(ExperimentRun::failed).count();
    out.printf(
        Locale.ROOT,
        "experiment %s: %d runs, %d failed, %.0f s; report in %s%n",
        experiment,
        runs.size(),
        failed,
        wallSeconds,
        folder.resolve("report.md"));
    for (ExperimentRun run : runs) {
      if (run.failed()) {
        out.printf("run %s failed: %s%n", run.name, run.error);
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private void train(
      ExperimentRun run,
      Sweep sweep,
      Map<String, Object> clientConfig,
      TopicSettings topicSettings) {
    long started = System.nanoTime();
    try {
      TrainingConfig config =
          TrainingConfigLoader.load(
              List.of(
                  ConfigLayer.of(sweepFile + " base", sweep.base()),
                  ConfigLayer.of("--set", settings),
                  ConfigLayer.of(sweepFile + " run " + run.configuration, run.overrides),
                  // The sweep's seed is above every other layer: a pair is the same seed on both
                  // sides.
                  ConfigLayer.of(
                      "--seeds",
                      run.sweepSeed == null
                          ? Map.of()
                          : Map.of("seed", run.sweepSeed.toString()))));
      run.config = config.toFlatMap();
      RunOptions options =
          new RunOptions(
              run.runId,
              new RunMode.Fresh(dataset, config),
              checkpointDir.resolve(run.runId),
              "memoscope " + VersionProvider.version(),
              RunTuning.defaults()
                  .withLogEvery(logEvery)
                  .withTimeout(kafka.timeout)
                  .withCheckpoints(checkpointEvery, RunTuning.KEEP_CHECKPOINTS));
      run.summary = new StreamingRun(clientConfig, topicSettings, options, run).run();
      run.finished = true;
      run.wallSeconds = (System.nanoTime() - started) / 1e9;
      run.line(
          String.format(
              Locale.ROOT,
              "finished in %.1f s, %,.0f samples/s",
              run.wallSeconds,
              run.summary.samplesPerSecond()));
    } catch (RuntimeException | Error e) {
      run.wallSeconds = (System.nanoTime() - started) / 1e9;
      run.error = OneLineErrors.describe(e);
      run.line("FAILED: " + run.error);
    }
  }

  /**
   * Committed records in the data set's test topic (what evaluation reads), or -1 when they cannot
   * be counted.
   */
  private long testSamples(Map<String, Object> clientConfig) {
    String topic = Topics.samples(dataset, Split.test);
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, kafka.timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, kafka.timeout);
      long count = 0;
      long deadline = System.nanoTime() + kafka.timeout.toNanos() * 4;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          return -1;
        }
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private String commandLine() {
    return "memoscope " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }
}
