package io.memoscope.metrics;

import io.memoscope.protocol.serde.InvalidRecordException;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization exception handler: a record that does not decode (not Avro, an
 * unknown schema, a broken contract) is counted in {@code memoscope_events_invalid_total{reason}}
 * and skipped, so one bad record never stops the service. Kafka Streams creates the handler by
 * class name; it finds the {@link LiveRuns} to count in under {@link #LIVE_RUNS_CONFIG} in the
 * streams config.
 */
public final class InvalidRecords implements DeserializationExceptionHandler {

  /** Streams config key whose value is the service's {@link LiveRuns} instance. */
  public static final String LIVE_RUNS_CONFIG = "memoscope.metrics.live-runs";

  /** Reason for events with a NaN or infinite metric value (those values are skipped). */
  public static final String NON_FINITE_VALUE = "non_finite_value";

  private static final Logger log = LoggerFactory.getLogger(InvalidRecords.class);

  private LiveRuns live;

  @Override
  public void configure(Map<String, ?> configs) {
    Object value = configs.get(LIVE_RUNS_CONFIG);
    if (!(value instanceof LiveRuns liveRuns)) {
      throw new IllegalArgumentException(LIVE_RUNS_CONFIG + " must hold the service's LiveRuns");
    }
    this.live = liveRuns;
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String reason = reason(exception);
    live.countInvalid(reason);
    log.warn(
        "Skipping an undecodable record of {} partition {} offset {} ({}): {}",
        context.topic(),
        context.partition(),
        context.offset(),
        reason,
        exception.getMessage());
    return Response.resume();
  }

  /** A bounded label value: the protocol's problem kind, or "undecodable". */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidRecordException invalid) {
        return invalid.problem().name().toLowerCase(Locale.ROOT);
      }
    }
    return "undecodable";
  }
}
