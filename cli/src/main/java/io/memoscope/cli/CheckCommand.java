package io.memoscope.cli;

import io.memoscope.protocol.kafka.KafkaFutures;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Proves a set of Kafka settings works before a long ingest or run depends on it: reaches the
 * cluster, prints its id and brokers, and lists memoscope's topics.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Check that a Kafka cluster is reachable with these settings and list memoscope's topics.")
final class CheckCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Admin admin = Admin.create(kafka.adminConfig(root.sources()));
    String what = "Kafka at " + kafka.bootstrap;
    try {
      DescribeClusterResult cluster = admin.describeCluster();
      String clusterId = KafkaFutures.get(cluster.clusterId(), kafka.timeout, what);
      Collection<Node> nodes = KafkaFutures.get(cluster.nodes(), kafka.timeout, what);
      List<String> topics =
          KafkaFutures.get(admin.listTopics().names(), kafka.timeout, what).stream()
              .filter(CheckCommand::isMemoscopeTopic)
              .sorted()
              .toList();
      out.printf("cluster %s: %d broker(s) at %s%n", clusterId, nodes.size(), kafka.bootstrap);
      out.printf(
          "memoscope topics: %s%n", topics.isEmpty() ? "none yet" : String.join(", ", topics));
      return 0;
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  static boolean isMemoscopeTopic(String topic) {
    return topic.startsWith("samples.") || topic.startsWith("memoscope.");
  }

  private static String pretty(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
