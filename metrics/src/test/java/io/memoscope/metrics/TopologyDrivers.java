package io.memoscope.metrics;

import io.memoscope.protocol.config.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.TopologyTestDriver;

/** The service's topology in a {@link TopologyTestDriver}, as the service configures it. */
final class TopologyDrivers {

  private TopologyDrivers() {}

  /**
   * @param retention how long a finished run stays on /metrics
   * @param start the driver's wall-clock and stream time at the start
   */
  static TopologyTestDriver start(LiveRuns live, Path stateDir, Duration retention, Instant start) {
    MetricsConfig config =
        MetricsConfig.defaults(new KafkaConnection("127.0.0.1:1", Map.of()), stateDir);
    return new TopologyTestDriver(
        MetricsTopology.build(live, retention, Duration.ofSeconds(1)),
        config.streamsProperties(live),
        start);
  }
}
