package io.memoscope.cli;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.config.ConfigException;
import io.memoscope.trainer.config.ConfigLayer;
import io.memoscope.trainer.config.Settings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.config.TrainingConfigLoader;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code memoscope train}: one training run from a data set's Kafka topics. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train the multi-head network on an ingested data set, streamed from Kafka, and publish training events.",
      "",
      "Training settings, lowest to highest: built-in defaults, --config FILE (YAML or .properties, keys as in "
          + "docs/trainer.md), MEMOSCOPE_TRAIN_* variables for the flags below, the flags, then --set KEY=VALUE.",
    })
final class TrainCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "The ingested data set to train on.")
  String dataset;

  @Option(
      names = "--resume",
      paramLabel = "RUN_ID",
      description =
          "Continue an interrupted run from its newest valid checkpoint, with its own manifest and config.")
  String resume;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Training config, YAML or .properties.")
  Path config;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id (default: <dataset>-<date>-<time>).")
  String runId;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (config key epochs).")
  Integer epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Batch size (config key batch-size).")
  Integer batchSize;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "small-cnn or wrn-16-4 (config key model.name).")
  String model;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the run (config key seed).")
  Long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Any training config key, repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = RunOptionDefaults.CHECKPOINT_DIR,
      description =
          "Where each run keeps its manifest (in <DIR>/<run-id>/) (default: ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Also write the final summary here as JSON.")
  Path summary;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "STEPS",
      defaultValue = "" + RunTuning.CHECKPOINT_EVERY,
      description =
          "Steps between checkpoints; one is also written at every epoch end (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "M",
      defaultValue = "" + RunTuning.KEEP_CHECKPOINTS,
      description = "How many of the newest checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(
      names = "--log-every",
      paramLabel = "STEPS",
      defaultValue = "" + RunTuning.LOG_EVERY,
      description = "Steps between step events and progress lines (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(
      names = "--ratio-every",
      paramLabel = "STEPS",
      defaultValue = "" + RunTuning.RATIO_EVERY,
      description =
          "Steps between per-layer update-ratio measurements (default: ${DEFAULT-VALUE}).")
  int ratioEvery;

  @Option(
      names = "--on-divergence",
      paramLabel = "stop|continue",
      description =
          "When a loss or a parameter becomes NaN or infinite: stop the run (exit 1) or train on; either way"
              + " a DIVERGED event says where (config key on-divergence; default stop).")
  String onDivergence;

  @Option(
      names = "--shuffle-buffer",
      paramLabel = "N",
      description =
          "Samples in the epoch shuffle buffer (config key shuffle-buffer; default 0: as many as an eighth"
              + " of the heap holds, so a data set that fits is shuffled whole). Recorded in the manifest.")
  Integer shuffleBuffer;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topics;

  @Override
  public Integer call() {
    if ((dataset == null) == (resume == null)) {
      throw new ParameterException(
          spec.commandLine(), "give --dataset for a new run or --resume RUN_ID, not both");
    }
    boolean resuming = resume != null;
    RunMode mode = resuming ? new RunMode.Resume() : new RunMode.Fresh(dataset, trainingConfig());
    String id =
        resuming
            ? RunIds.validate(resume)
            : runId != null
                ? RunIds.validate(runId)
                : dataset
                    + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    RunTuning tuning =
        RunTuning.defaults()
            .withLogEvery(logEvery)
            .withRatioEvery(ratioEvery)
            .withTimeout(kafka.timeout)
            .withCheckpoints(checkpointEvery, keepCheckpoints);
    RunOptions options =
        new RunOptions(
            id, mode, checkpointDir.resolve(id), "memoscope " + VersionProvider.version(), tuning);
    PrintWriter out = spec.commandLine().getOut();
    RunSummary result =
        new StreamingRun(
                kafka.adminConfig(root.sources()),
                topics.settings(spec, spec.commandLine().getErr()),
                options,
                new ProgressLines(spec.commandLine().getErr(), id))
            .run();
    if (summary != null) {
      result.writeJson(summary);
    }
    out.printf(
        Locale.ROOT,
        "run %s: %d epochs, %d steps, %,d samples per epoch, %,.0f samples/s (%.1f s waiting"
            + " for data), %d dead letters, parameters sha256 %s%n",
        result.runId(),
        result.epochs(),
        result.steps(),
        result.samplesPerEpoch(),
        result.samplesPerSecond(),
        result.dataWaitSeconds(),
        result.deadLetters(),
        result.parametersSha256());
    return 0;
  }

  private TrainingConfig trainingConfig() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (epochs != null) {
      flags.put(Settings.EPOCHS.key(), epochs.toString());
    }
    if (batchSize != null) {
      flags.put(Settings.BATCH_SIZE.key(), batchSize.toString());
    }
    if (model != null) {
      flags.put(Settings.MODEL_NAME.key(), model);
    }
    if (seed != null) {
      flags.put(Settings.SEED.key(), seed.toString());
    }
    if (shuffleBuffer != null) {
      flags.put(Settings.SHUFFLE_BUFFER.key(), shuffleBuffer.toString());
    }
    if (onDivergence != null) {
      flags.put(Settings.ON_DIVERGENCE.key(), onDivergence);
    }
    List<ConfigLayer> layers = new ArrayList<>();
    if (config != null) {
      layers.add(TrainingConfigLoader.readFile(config));
    }
    layers.add(ConfigLayer.of("flags", flags));
    layers.add(ConfigLayer.of("--set", settings));
    try {
      return TrainingConfigLoader.load(layers);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
