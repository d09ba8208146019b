package io.memoscope.cli;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaCluster;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.protocol.config.KafkaConnection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code memoscope broker}: a real Kafka (KRaft), one node or a few, in the foreground until
 * Ctrl-C.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Kafka broker (KRaft) in the foreground until Ctrl-C: one node, or with --brokers N a "
          + "cluster of N nodes in this process on consecutive ports.",
      "",
      "Prints the bootstrap address any Kafka client can use. Data stays in --data-dir and is "
          + "reused on the next start; --temporary throws it away on stop.",
    })
final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      defaultValue = EmbeddedKafkaConfig.DEFAULT_HOST,
      description = "Address to bind and advertise (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + KafkaConnection.DEFAULT_PORT,
      description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--brokers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Nodes (broker and controller each), 1 to "
              + EmbeddedKafkaCluster.MAX_NODES
              + "; with 3 or more,"
              + " topics get 3 replicas and writes need 2 in sync (default: ${DEFAULT-VALUE}).")
  int brokers;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = DataDirs.BROKER_DEFAULT,
      description = "Where the broker keeps its data across restarts (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--temporary",
      description = "Use a throwaway data directory, deleted when the broker stops.")
  boolean temporary;

  @Option(
      names = "--broker-property",
      paramLabel = "KEY=VALUE",
      description =
          "Extra Kafka broker property, repeatable (e.g. --broker-property log.retention.hours=24).")
  Map<String, String> brokerProperties = new LinkedHashMap<>();

  @Option(
      names = "--start-timeout",
      paramLabel = "DURATION",
      defaultValue = EmbeddedKafkaConfig.DEFAULT_START_TIMEOUT_SECONDS + "s",
      converter = DurationConverter.class,
      description = "How long the broker may take to start (default: ${DEFAULT-VALUE}).")
  Duration startTimeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (brokers != 1) {
      return serveCluster(out);
    }
    EmbeddedKafka broker = new EmbeddedKafka(config());
    Foreground.serve(
        out,
        "broker",
        broker::start,
        broker::close,
        () -> {
          out.println("memoscope broker: single-node Kafka (KRaft) is ready");
          out.printf("  bootstrap: %s%n", broker.bootstrapServers());
          out.printf(
              "  data:      %s%n",
              temporary ? "temporary, deleted on stop" : dataDir.toAbsolutePath().normalize());
        });
    return 0;
  }

  private int serveCluster(PrintWriter out) throws InterruptedException {
    EmbeddedKafkaCluster cluster;
    try {
      cluster = new EmbeddedKafkaCluster(config(), brokers);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--brokers: " + e.getMessage());
    }
    Foreground.serve(
        out,
        "broker",
        cluster::start,
        cluster::close,
        () -> {
          out.printf("memoscope broker: a %d-node Kafka cluster (KRaft) is ready%n", brokers);
          out.printf("  bootstrap: %s%n", cluster.bootstrapServers());
          out.printf(
              "  data:      %s%n",
              temporary
                  ? "temporary, deleted on stop"
                  : dataDir.toAbsolutePath().normalize() + " (node-1 … node-" + brokers + ")");
        });
    return 0;
  }

  EmbeddedKafkaConfig config() {
    EmbeddedKafkaConfig config =
        EmbeddedKafkaConfig.defaults().withHost(host).withPort(port).withStartTimeout(startTimeout);
    config =
        temporary ? config : config.withPersistentDataDir(dataDir.toAbsolutePath().normalize());
    for (Map.Entry<String, String> property : brokerProperties.entrySet()) {
      config = config.withBrokerProperty(property.getKey(), property.getValue());
    }
    return config;
  }
}
