package io.memoscope.cli;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.config.ConfigException;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.trainer.config.ConfigLayer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.config.TrainingConfigLoader;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunTuning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope demo}: the embedded broker, a data set, the metrics service and a training run
 * sized for a laptop CPU, in one process until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Start everything on this machine and watch a network memorize: the embedded Kafka broker (data kept in "
          + "<data-root>/broker and reused), a data set ingested once (Fashion-MNIST from Debian's "
          + "dataset-fashion-mnist folder, any IDX folder with --data, else a synthetic Fashion-MNIST-like set), "
          + "the metrics service with its live page, and a training run with random-label heads at two depths "
          + "(block2, penultimate; lambda = 0). Runs until Ctrl-C, which stops everything.",
      "",
      "A second terminal can train against the same broker: the demo prints the bootstrap address and the "
          + "command. A later start reuses the broker's data and the ingested data set, and starts a new run.",
    })
final class DemoCommand implements Callable<Integer> {

  /**
   * What the demo trains unless --set says otherwise (measured on a 2-core CPU: see README "The
   * demo").
   */
  static final Map<String, String> TRAINING =
      Map.of(
          "heads.taps", "block2,penultimate",
          "heads.lambda", "0",
          "heads.kind", "mlp",
          "heads.hidden-width", "256",
          "optimizer.name", "adam",
          "eval.every", "1",
          "eval.unit", "epochs");

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "A folder of MNIST-format IDX files (default: Debian's /usr/share/datasets/fashion-mnist "
              + "when installed, else synthetic data).")
  Path data;

  @Option(
      names = "--synthetic",
      description = "Use a synthetic Fashion-MNIST-like set (28x28 grey, 10 classes).")
  boolean synthetic;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description =
          "Data set name in Kafka (default: <folder name>-<limit>, e.g. fashion-mnist-10k, or synthetic-<limit>).")
  String dataset;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Images per split to ingest and train on (default: ${DEFAULT-VALUE}).")
  long limit;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "30",
      description =
          "Epochs of the run (default: ${DEFAULT-VALUE}; about 12 s each on a 2-core CPU at the default limit).")
  int epochs;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id (default: demo-<date>-<time>, new on every start).")
  String runId;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Any training config key (docs/trainer.md), repeatable. The demo's own: heads.taps=block2,penultimate, "
              + "heads.lambda=0, heads.kind=mlp, heads.hidden-width=256, optimizer.name=adam, eval.every=1, eval.unit=epochs.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + KafkaConnection.DEFAULT_PORT,
      description =
          "Kafka client port of the embedded broker; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "" + MetricsConfig.DEFAULT_PORT,
      description =
          "HTTP port of the metrics service and live page; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--prometheus",
      description =
          "Also start Debian's prometheus binary (if on the PATH) scraping the metrics service.")
  boolean prometheus;

  @Option(
      names = "--prometheus-port",
      paramLabel = "PORT",
      defaultValue = "9090",
      description = "Prometheus' web port with --prometheus (default: ${DEFAULT-VALUE}).")
  int prometheusPort;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      defaultValue = DataDirs.ROOT,
      description =
          "Where the broker, metrics and Prometheus keep their data across starts: <DIR>/broker, "
              + "<DIR>/metrics, <DIR>/prometheus (default: ${DEFAULT-VALUE}).")
  Path dataRoot;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = RunOptionDefaults.CHECKPOINT_DIR,
      description =
          "Where the run keeps its manifest and checkpoints, in <DIR>/<run-id>/ as memoscope train does "
              + "(default: ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(
      names = "--log-every",
      paramLabel = "STEPS",
      defaultValue = "20",
      description = "Steps between step events and progress lines (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Override
  public Integer call() throws InterruptedException {
    if (limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
    }
    DemoData chosen;
    try {
      chosen = DemoData.choose(data, synthetic, limit, dataset);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String id =
        runId != null
            ? RunIds.validate(runId)
            : "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    TrainingConfig config = trainingConfig();
    Path root = dataRoot.toAbsolutePath().normalize();
    EmbeddedKafka broker =
        new EmbeddedKafka(
            EmbeddedKafkaConfig.defaults()
                .withPort(port)
                .withPersistentDataDir(root.resolve(DataDirs.BROKER)));
    RunOptions run =
        new RunOptions(
            id,
            new RunMode.Fresh(chosen.dataset(), config),
            checkpointDir.toAbsolutePath().normalize().resolve(id),
            "memoscope " + VersionProvider.version(),
            RunTuning.defaults().withLogEvery(logEvery));
    PrintWriter out = spec.commandLine().getOut();
    DemoServices services =
        new DemoServices(
            broker,
            chosen,
            limit,
            run,
            root,
            metricsPort,
            prometheus ? prometheusPort : -1,
            out,
            spec.commandLine().getErr());
    Foreground.serve(out, "demo", services::start, services::stop, services::announceAndTrain);
    return 0;
  }

  private TrainingConfig trainingConfig() {
    Map<String, String> demo = new LinkedHashMap<>(TRAINING);
    demo.put("epochs", Integer.toString(epochs));
    try {
      return TrainingConfigLoader.load(
          List.of(ConfigLayer.of("demo", demo), ConfigLayer.of("--set", settings)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * The client settings for the embedded broker: plain, whatever the config file says about other
   * clusters.
   */
  static KafkaConnection connection(EmbeddedKafka broker) {
    return new KafkaConnection(broker.bootstrapServers(), Map.of());
  }

  static MetricsConfig metricsConfig(EmbeddedKafka broker, Path root, int port) {
    return MetricsConfig.defaults(connection(broker), root.resolve(DataDirs.METRICS))
        .withHttp(MetricsConfig.DEFAULT_BIND, port);
  }
}
