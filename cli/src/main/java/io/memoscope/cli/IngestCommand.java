package io.memoscope.cli;

import io.memoscope.ingest.ConsoleProgress;
import io.memoscope.ingest.CreatedTopics;
import io.memoscope.ingest.Ingest;
import io.memoscope.ingest.IngestConfig;
import io.memoscope.ingest.IngestConfig.ExistingData;
import io.memoscope.ingest.IngestSummary;
import io.memoscope.ingest.SampleSources;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.kafka.TopicSpecs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code memoscope ingest}: a data set's train and test splits into Kafka, all or nothing. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Stream a data set's train and test splits into samples.<dataset>.train / .test, each image with its class "
          + "and fixed random labels, and publish its DatasetInfo; all in one Kafka transaction.",
      "",
      "Sources: idx (MNIST-format files), cifar (CIFAR-10/100 binary), folder (root/<split>/<class>/*.png|jpg), "
          + "synthetic (generated), and any on the classpath (--list-sources).",
    })
final class IngestCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Option(
      names = "--source",
      paramLabel = "KIND",
      description = "Where the images come from (see --list-sources).")
  String source;

  @Option(
      names = "--list-sources",
      description = "List the sources on the classpath with their options, and exit.")
  boolean listSources;

  @Option(
      names = "--create-topics-only",
      description =
          "Create the data set's topics as an ingest would, write no records, and exit: for producers that"
              + " write the records themselves and do not create topics. Takes --dataset, --partitions, --recreate and"
              + " the topic and Kafka options.")
  boolean createTopicsOnly;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "Data set name: lower case letters, digits, - and _.")
  String dataset;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Source folder (idx: defaults to Debian's dataset-fashion-mnist folder).")
  String dir;

  @Option(
      names = "--classes",
      paramLabel = "N",
      description = "Number of classes (idx, synthetic).")
  String classes;

  @Option(
      names = "--class-names",
      paramLabel = "A,B,…",
      description = "Class names, comma-separated (idx).")
  String classNames;

  @Option(
      names = "--labels",
      paramLabel = "fine|coarse",
      description = "CIFAR-100 label set (cifar; default fine).")
  String labels;

  @Option(
      names = "--resize",
      paramLabel = "HxW",
      description = "Resize every image to this shape (folder).")
  String resize;

  @Option(names = "--height", paramLabel = "H", description = "Image height (synthetic).")
  String height;

  @Option(names = "--width", paramLabel = "W", description = "Image width (synthetic).")
  String width;

  @Option(
      names = "--channels",
      paramLabel = "C",
      description = "Channels, 1 or 3 (synthetic, folder).")
  String channels;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Train images to generate (synthetic).")
  String count;

  @Option(
      names = "--test-count",
      paramLabel = "N",
      description = "Test images to generate (synthetic).")
  String testCount;

  @Option(
      names = "--source-option",
      paramLabel = "KEY=VALUE",
      description = "Any other option of the source, repeatable.")
  Map<String, String> sourceOptions = new LinkedHashMap<>();

  @Option(
      names = "--labelings",
      paramLabel = "K",
      defaultValue = "" + IngestConfig.DEFAULT_LABELINGS,
      description = "Independent random labelings per sample (default: ${DEFAULT-VALUE}).")
  int labelings;

  @Option(
      names = "--random-classes",
      paramLabel = "n",
      defaultValue = "" + IngestConfig.DEFAULT_RANDOM_CLASSES,
      description = "Random-label classes (default: ${DEFAULT-VALUE}).")
  int randomClasses;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "" + IngestConfig.DEFAULT_SEED,
      description =
          "Seed of the random labels (and of the synthetic source) (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--limit", paramLabel = "N", description = "Ingest at most N images per split.")
  Long limit;

  @Option(
      names = "--partitions",
      paramLabel = "P",
      defaultValue = "" + TopicSpecs.DEFAULT_SAMPLE_PARTITIONS,
      description = "Partitions of each sample topic created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @ArgGroup(exclusive = true)
  Existing existing;

  static final class Existing {
    @Option(
        names = "--append",
        description = "Add after the records already in the topics (indices continue).")
    boolean append;

    @Option(names = "--recreate", description = "Delete and recreate the data set's topics first.")
    boolean recreate;
  }

  @Option(
      names = "--transaction-timeout",
      paramLabel = "DURATION",
      defaultValue = IngestConfig.DEFAULT_TRANSACTION_TIMEOUT_MINUTES + "m",
      converter = DurationConverter.class,
      description =
          "The broker aborts an ingest still running after this (default: ${DEFAULT-VALUE}).")
  Duration transactionTimeout;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topics;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SampleSources sources = SampleSources.discover();
    if (listSources) {
      for (SampleSource s : sources.all()) {
        out.printf(
            "%-12s %s%n%12s options: %s%n",
            s.name(), s.description(), "", String.join(", ", new TreeSet<>(s.options())));
      }
      return 0;
    }
    if (createTopicsOnly) {
      return createTopics(out);
    }
    if (source == null || dataset == null) {
      throw new ParameterException(spec.commandLine(), "--source and --dataset are required");
    }
    SampleSource chosen = sources.named(source);
    IngestConfig config = config();
    SourceOptions options = sourceOptions(chosen);

    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    // Ctrl-C: stop sending, abort the transaction, and let that finish before the JVM exits.
    Thread onInterrupt =
        new Thread(
            () -> {
              cancelled.set(true);
              try {
                done.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "memoscope-ingest-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (OpenedDataset data = chosen.open(options)) {
      Ingest ingest =
          new Ingest(
              kafka.connection(root.sources()).clientConfig(),
              config,
              ConsoleProgress.forStderr(System.console() != null),
              cancelled::get);
      IngestSummary summary = ingest.run(data);
      out.println(summary.line());
      return 0;
    } finally {
      done.countDown();
      if (!cancelled.get()) {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      }
    }
  }

  private int createTopics(PrintWriter out) {
    // Options that describe records would be silently ignored: refuse them instead.
    Set<String> applicable =
        new HashSet<>(Set.of("--create-topics-only", "--dataset", "--partitions", "--recreate"));
    for (String mixin : List.of("kafka", "topics")) {
      spec.mixins()
          .get(mixin)
          .options()
          .forEach(option -> applicable.addAll(List.of(option.names())));
    }
    List<String> ignored =
        spec.commandLine().getParseResult().matchedOptions().stream()
            .map(OptionSpec::longestName)
            .filter(name -> !applicable.contains(name))
            .distinct()
            .toList();
    if (!ignored.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--create-topics-only writes no records, so "
              + String.join(", ", ignored)
              + (ignored.size() == 1 ? " does" : " do")
              + " not apply");
    }
    if (dataset == null) {
      throw new ParameterException(spec.commandLine(), "--create-topics-only needs --dataset");
    }
    CreatedTopics topics =
        Ingest.createTopics(kafka.connection(root.sources()).clientConfig(), config());
    out.println(topics.line());
    return 0;
  }

  private IngestConfig config() {
    ExistingData mode =
        existing == null
            ? ExistingData.REFUSE
            : existing.append ? ExistingData.APPEND : ExistingData.RECREATE;
    try {
      return new IngestConfig(
          dataset,
          labelings,
          randomClasses,
          seed,
          limit == null ? Long.MAX_VALUE : limit,
          partitions,
          topics.settings(spec, spec.commandLine().getErr()),
          mode,
          kafka.timeout,
          transactionTimeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The typed flags that were given, plus --source-option; each must be one the source reads. */
  private SourceOptions sourceOptions(SampleSource chosen) {
    Map<String, String> given = new LinkedHashMap<>();
    putIfGiven(given, "dir", dir == null ? null : Path.of(dir).toAbsolutePath().toString());
    putIfGiven(given, "classes", classes);
    putIfGiven(given, "class-names", classNames);
    putIfGiven(given, "labels", labels);
    putIfGiven(given, "resize", resize);
    putIfGiven(given, "height", height);
    putIfGiven(given, "width", width);
    putIfGiven(given, "channels", channels);
    putIfGiven(given, "count", count);
    putIfGiven(given, "test-count", testCount);
    given.putAll(sourceOptions);
    List<String> ignored =
        given.keySet().stream().filter(key -> !chosen.options().contains(key)).toList();
    if (!ignored.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "source "
              + chosen.name()
              + " does not read "
              + String.join(", ", ignored)
              + " (it reads: "
              + String.join(", ", new TreeSet<>(chosen.options()))
              + ")");
    }
    if (chosen.options().contains("seed")) {
      given.putIfAbsent("seed", Long.toString(seed));
    }
    return SourceOptions.of(given);
  }

  private static void putIfGiven(Map<String, String> options, String key, String value) {
    if (value != null) {
      options.put(key, value);
    }
  }
}
