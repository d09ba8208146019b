package io.memoscope.metrics;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A run's whole event history, read straight from {@code memoscope.events}: the source of truth, so
 * the full series need no second copy in the service's state. Only the run's own partition is read
 * (the producer's default partitioner puts key = run id there), without a consumer group, up to the
 * end offset of the moment of the request ({@link RunPartition}). Events are de-duplicated by
 * sequence the way the live service does it; records that do not decode are skipped.
 */
public final class RunHistory {

  private RunHistory() {}

  public static List<TrainingEvent> read(
      Map<String, Object> clientConfig, String run, Duration timeout) {
    Tail tail = new Tail(run);
    tail.advance(clientConfig, timeout);
    return tail.events();
  }

  /**
   * A run's history read incrementally: each {@link #advance} reads only the records appended to
   * the run's partition since the previous one, so a page that polls a run's series every few
   * seconds does not re-read the whole partition each time. It holds at most {@code maxEvents}
   * events, the newest: a run's history costs bounded memory however long the run is, and the
   * newest part is what a live view needs. Not thread-safe; callers lock it.
   */
  public static final class Tail {
    private final String run;
    private final int maxEvents;
    private final List<TrainingEvent> events = new ArrayList<>();
    private RunPartition.Position position = RunPartition.Position.START;
    private long lastSequence = -1;
    private boolean truncated;

    public Tail(String run) {
      this(run, Integer.MAX_VALUE);
    }

    /**
     * @param maxEvents the most events kept; older ones are dropped (see {@link #truncated})
     */
    public Tail(String run, int maxEvents) {
      if (maxEvents < 1) {
        throw new IllegalArgumentException("maxEvents must be positive, not " + maxEvents);
      }
      this.run = run;
      this.maxEvents = maxEvents;
    }

    /** Whether the oldest events were dropped to keep at most {@code maxEvents}. */
    public boolean truncated() {
      return truncated;
    }

    /** Every event read so far, in sequence order, de-duplicated by sequence. */
    public List<TrainingEvent> events() {
      return events;
    }

    /** The highest sequence read so far, -1 before any. */
    public long lastSequence() {
      return lastSequence;
    }

    /**
     * Reads the run's partition from where the previous call stopped up to its current end offset.
     */
    public void advance(Map<String, Object> clientConfig, Duration timeout) {
      TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
      position =
          RunPartition.read(
              clientConfig,
              Topics.EVENTS,
              run,
              position,
              timeout,
              value -> {
                TrainingEvent event;
                try {
                  event = deserializer.deserialize(Topics.EVENTS, value);
                } catch (SerializationException e) {
                  return;
                }
                if (event != null && event.getSequence() > lastSequence) {
                  lastSequence = event.getSequence();
                  events.add(event);
                }
              },
              this::dropOldest);
    }

    private void dropOldest() {
      int excess = events.size() - maxEvents;
      if (excess > 0) {
        events.subList(0, excess).clear();
        truncated = true;
      }
    }
  }
}
