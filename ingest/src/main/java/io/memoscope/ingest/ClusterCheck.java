package io.memoscope.ingest;

import io.memoscope.protocol.kafka.AccessFailures;
import io.memoscope.protocol.kafka.KafkaFutures;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/** Fails fast, with the address in the message, when the cluster cannot be reached. */
final class ClusterCheck {

  private ClusterCheck() {}

  static void awaitReachable(Admin admin, Map<String, Object> clientConfig, Duration timeout) {
    Object bootstrap = clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    try {
      KafkaFutures.await(
          admin.describeCluster().clusterId(), timeout, "connecting to Kafka at " + bootstrap);
    } catch (InterruptException e) {
      throw new IngestException("interrupted while connecting to Kafka at " + bootstrap);
    } catch (TimeoutException e) {
      throw unreachable(bootstrap, timeout, null);
    } catch (KafkaException e) {
      throw unreachable(bootstrap, timeout, e);
    }
  }

  private static IngestException unreachable(Object bootstrap, Duration timeout, Throwable cause) {
    // A broker that answered but refused us is up: say why it refused, not that it may be down.
    var refused = AccessFailures.describeCause(cause);
    if (refused.isPresent()) {
      return new IngestException(
          "cannot connect to Kafka at " + bootstrap + ": " + refused.get(), cause);
    }
    String detail =
        cause == null || cause instanceof TimeoutException ? "" : " (" + cause.getMessage() + ")";
    return new IngestException(
        "cannot reach Kafka at "
            + bootstrap
            + " within "
            + timeout.toMillis() / 1000.0
            + " s"
            + detail
            + "; is the broker running? (./memoscope broker)",
        cause);
  }
}
