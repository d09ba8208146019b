package io.memoscope.trainer.stream;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.EventKind;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Outages while reading: a warning on the terminal and BROKER_WAIT events. */
final class BrokerWaitEvents implements BrokerWaits {

  private static final Logger log = LoggerFactory.getLogger(StreamingRun.class);
  private final EventPublisher events;

  BrokerWaitEvents(EventPublisher events) {
    this.events = events;
  }

  @Override
  public void waiting(String what, int attempt, Throwable cause) {
    log.warn("{}: waiting for Kafka ({}; attempt {})", what, cause.getMessage(), attempt);
    if (attempt == 1) {
      events.publish(
          EventKind.BROKER_WAIT,
          0,
          Map.of(EventMetricNames.ATTEMPT, (double) attempt),
          Map.of(EventLabels.STATE, EventLabels.STATE_WAITING),
          what + ": " + cause.getMessage());
    }
  }

  @Override
  public void recovered(String what, int attempts) {
    log.warn("{}: Kafka is back, going on where the run was", what);
    events.publish(
        EventKind.BROKER_WAIT,
        0,
        Map.of(EventMetricNames.ATTEMPTS, (double) attempts),
        Map.of(EventLabels.STATE, EventLabels.STATE_RECOVERED),
        what);
  }
}
