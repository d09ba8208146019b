package io.memoscope.cli;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a run ended, as its events in {@code memoscope.events} tell it: the last RUN_FINISHED event
 * (its outcome label; on success its message is the parameters' SHA-256) and the final metrics
 * under the keys {@code RunSummary.finalMetrics()} uses, so a summary rebuilt from Kafka compares
 * exactly (same keys, same doubles) with one a run returns.
 *
 * @param message the parameters' SHA-256 when the run succeeded, the error when it failed, null
 *     when it has not finished
 * @param finalMetrics the last evaluation's values and the last in-run probe's, as of the last
 *     RUN_FINISHED
 */
record RunOutcome(State state, String message, Map<String, Double> finalMetrics) {

  enum State {
    NOT_FINISHED,
    FAILED,
    SUCCEEDED
  }

  static final RunOutcome NOT_FINISHED = new RunOutcome(State.NOT_FINISHED, null, Map.of());

  RunOutcome {
    finalMetrics = Collections.unmodifiableMap(new TreeMap<>(finalMetrics));
  }

  String parametersSha256() {
    return state == State.SUCCEEDED ? message : null;
  }

  /** The outcome of a run's events, given in sequence order. */
  static RunOutcome of(List<TrainingEvent> events) {
    Tally tally = new Tally();
    events.forEach(tally::accept);
    return tally.outcome();
  }

  /**
   * Follows a run's events one at a time, in the order they were published, the way the run's own
   * summary followed its evaluations (StreamingRun.LastEvaluation): an evaluation replaces the
   * evaluation values, a probe (one PROBE event per tap and labeling, after its evaluation)
   * replaces the probe values and otherwise stays. The outcome is fixed at each RUN_FINISHED, so
   * the PROBE events {@code memoscope probe} adds after the end do not count, as they are not in
   * the summary.
   */
  static final class Tally {
    private final Map<String, Double> evaluation = new TreeMap<>();
    private final Map<String, Double> probe = new TreeMap<>();
    private boolean probeStale = true;
    private long lastSequence = -1;
    private RunOutcome outcome = NOT_FINISHED;

    /**
     * Takes the next event; one whose sequence number was seen already is a copy a resume
     * re-emitted and is dropped, as the metrics service drops it.
     */
    void accept(TrainingEvent event) {
      if (event.getSequence() <= lastSequence) {
        return;
      }
      lastSequence = event.getSequence();
      String head = event.getLabels().get(EventLabels.HEAD);
      if (event.getKind() == EventKind.EVAL && head == null) {
        evaluation.clear();
        evaluation.putAll(event.getMetrics());
        probeStale = true;
      } else if (event.getKind() == EventKind.EVAL) {
        putEstimates(evaluation, head, event.getMetrics());
      } else if (event.getKind() == EventKind.PROBE) {
        if (probeStale) {
          probe.clear();
          probeStale = false;
        }
        putEstimates(probe, head, event.getMetrics());
      } else if (event.getKind() == EventKind.RUN_FINISHED) {
        boolean succeeded =
            "succeeded".equals(event.getLabels().get("outcome")) && event.getMessage() != null;
        Map<String, Double> values = new TreeMap<>(evaluation);
        values.putAll(probe);
        outcome =
            new RunOutcome(succeeded ? State.SUCCEEDED : State.FAILED, event.getMessage(), values);
      }
    }

    RunOutcome outcome() {
      return outcome;
    }

    /**
     * A head's event carries each estimate X as X, X_low and X_high, beside counts (evaluated or
     * probe samples) that are not estimates and not in the summary: an estimate is what has both
     * bounds.
     */
    private static void putEstimates(
        Map<String, Double> values, String head, Map<String, Double> metrics) {
      metrics.forEach(
          (name, value) -> {
            Double low = metrics.get(EventMetricNames.low(name));
            Double high = metrics.get(EventMetricNames.high(name));
            if (low != null && high != null) {
              values.put(name + "{" + head + "}", value);
              values.put(EventMetricNames.low(name) + "{" + head + "}", low);
              values.put(EventMetricNames.high(name) + "{" + head + "}", high);
            }
          });
    }
  }
}
