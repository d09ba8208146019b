package io.memoscope.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/** Fails fast, with the address in the message, when the cluster cannot be reached. */
final class ClusterCheck {

  private ClusterCheck() {}

  static void awaitReachable(Admin admin, Map<String, Object> clientConfig, Duration timeout) {
    Object bootstrap = clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    try {
      admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable(bootstrap, timeout, null);
    } catch (ExecutionException e) {
      throw unreachable(bootstrap, timeout, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while connecting to Kafka at " + bootstrap);
    }
  }

  private static IngestException unreachable(Object bootstrap, Duration timeout, Throwable cause) {
    String detail = cause == null || cause instanceof org.apache.kafka.common.errors.TimeoutException
        ? "" : " (" + cause.getMessage() + ")";
    return new IngestException("cannot reach Kafka at " + bootstrap + " within " + timeout.toMillis() / 1000.0 + " s"
        + detail + "; is the broker running? (./memoscope broker)", cause);
  }
}
