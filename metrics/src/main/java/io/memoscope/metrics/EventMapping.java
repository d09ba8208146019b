package io.memoscope.metrics;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one {@link TrainingEvent} into {@link Update}s of Prometheus series, following the table of
 * the events contract (docs/metrics.md). Pure and stateless, so the live service and the
 * OpenMetrics history of a run ({@link OpenMetricsWriter}) map events the same way.
 *
 * <p>Unknown metric names and unknown event kinds produce nothing; of the event's labels only
 * {@code head}, {@code tap}, {@code labeling} and {@code layer} reach Prometheus. Non-finite metric
 * values are left out here: the caller counts them as invalid.
 *
 * <p>The evaluated random-label accuracies, the memorization index and the probe estimates come
 * with their 95 % interval bounds ({@code X_low}, {@code X_high}), which go to the estimate
 * family's bounds family ({@link Family#bounds()}): kept for {@code /api/runs}, not exported.
 */
public final class EventMapping {

  private EventMapping() {}

  /** The updates of a valid event; non-finite metric values are skipped. */
  public static List<Update> updates(TrainingEvent event) {
    List<Update> updates = new ArrayList<>();
    Map<String, Double> metrics = event.getMetrics();
    Map<String, String> labels = event.getLabels();
    EventKind kind = event.getKind() == null ? EventKind.UNKNOWN : event.getKind();
    // A PROBE event carries the step of the model it probed: `memoscope probe` may probe an old
    // checkpoint after the run has finished, which must not wind the run's step back.
    if (kind != EventKind.PROBE) {
      updates.add(set(Series.of(Family.EPOCH), event.getEpoch()));
      updates.add(set(Series.of(Family.STEP), event.getStep()));
    }
    switch (kind) {
      case RUN_STARTED -> {
        gauge(
            updates,
            metrics,
            EventMetricNames.RANDOM_LABEL_CHANCE,
            Series.of(Family.RANDOM_LABEL_CHANCE));
        // The run's counters and its flags exist from its start, at 0: a dashboard shows
        // "0 dead letters" rather than no data, and changes() sees the first checkpoint or resume.
        for (Family counter :
            List.of(
                Family.CHECKPOINTS,
                Family.RESUMES,
                Family.BROKER_WAITS,
                Family.RUN_DEAD_LETTERS,
                Family.PUBLISH_FAILURES)) {
          updates.add(new Update(Series.of(counter), Update.Op.ADD, 0));
        }
        for (Family flag : List.of(Family.RUN_FINISHED, Family.RUN_FAILED, Family.RUN_DIVERGED)) {
          updates.add(new Update(Series.of(flag), Update.Op.MAX, 0));
        }
      }
      case STEP -> {
        gauge(
            updates,
            metrics,
            EventMetricNames.LOSS_CLASS,
            Series.of(Family.LOSS, Map.of("term", "class")));
        gauge(
            updates,
            metrics,
            EventMetricNames.ACCURACY_TRAIN_RUNNING,
            Series.of(Family.ACCURACY, Map.of("split", "train", "mode", "running")));
        gauge(updates, metrics, EventMetricNames.LEARNING_RATE, Series.of(Family.LEARNING_RATE));
        gauge(
            updates,
            metrics,
            EventMetricNames.SAMPLES_PER_SECOND,
            Series.of(Family.SAMPLES_PER_SECOND));
        gauge(
            updates,
            metrics,
            EventMetricNames.CONSUMER_LAG,
            Series.of(Family.CONSUMER_LAG_RECORDS));
        publishFailures(updates, metrics);
        gauge(
            updates,
            metrics,
            EventMetricNames.LOSS_RANDOM,
            Series.of(Family.LOSS, with(labels, "term", "random")));
        gauge(
            updates,
            metrics,
            EventMetricNames.LOSS_REGULARIZER,
            Series.of(Family.LOSS, with(labels, "term", "regularizer")));
        gauge(updates, metrics, EventMetricNames.LAMBDA, Series.of(Family.LAMBDA, labels));
        gauge(
            updates,
            metrics,
            EventMetricNames.RANDOM_LABEL_ACCURACY_RUNNING,
            Series.of(
                Family.RANDOM_LABEL_ACCURACY, with(labels, "mode", "running", "split", "train")));
        gauge(
            updates,
            metrics,
            EventMetricNames.UPDATE_RATIO,
            Series.of(Family.UPDATE_RATIO, labels));
      }
      case EVAL -> {
        gauge(
            updates,
            metrics,
            EventMetricNames.ACCURACY_TRAIN,
            Series.of(Family.ACCURACY, Map.of("split", "train", "mode", "evaluated")));
        gauge(
            updates,
            metrics,
            EventMetricNames.ACCURACY_TEST,
            Series.of(Family.ACCURACY, Map.of("split", "test", "mode", "evaluated")));
        gauge(
            updates,
            metrics,
            EventMetricNames.GENERALIZATION_GAP,
            Series.of(Family.GENERALIZATION_GAP));
        estimate(
            updates,
            metrics,
            EventMetricNames.RANDOM_LABEL_ACCURACY,
            Series.of(
                Family.RANDOM_LABEL_ACCURACY, with(labels, "mode", "evaluated", "split", "train")));
        estimate(
            updates,
            metrics,
            EventMetricNames.RANDOM_LABEL_ACCURACY_TEST,
            Series.of(
                Family.RANDOM_LABEL_ACCURACY, with(labels, "mode", "evaluated", "split", "test")));
        estimate(
            updates,
            metrics,
            EventMetricNames.MEMORIZATION_INDEX,
            Series.of(Family.MEMORIZATION_INDEX, labels));
      }
      // probe_difference is train − test of the two accuracies (PromQL can subtract them), and the
      // sample counts are in the event: neither becomes a series.
      case PROBE -> {
        estimate(
            updates,
            metrics,
            EventMetricNames.PROBE_ACCURACY,
            Series.of(Family.PROBE_RANDOM_LABEL_ACCURACY, with(labels, "split", "train")));
        estimate(
            updates,
            metrics,
            EventMetricNames.PROBE_ACCURACY_TEST,
            Series.of(Family.PROBE_RANDOM_LABEL_ACCURACY, with(labels, "split", "test")));
        estimate(
            updates,
            metrics,
            EventMetricNames.PROBE_MEMORIZATION_INDEX,
            Series.of(Family.PROBE_MEMORIZATION_INDEX, labels));
      }
      case EPOCH ->
          gauge(updates, metrics, EventMetricNames.SAMPLES, Series.of(Family.EPOCH_SAMPLES));
      case CHECKPOINT -> updates.add(new Update(Series.of(Family.CHECKPOINTS), Update.Op.ADD, 1));
      case RESUME -> {
        updates.add(new Update(Series.of(Family.RESUMES), Update.Op.ADD, 1));
        // Resumed from its last (finite) checkpoint, the run is going again; diverging again says
        // so again.
        updates.add(set(Series.of(Family.RUN_FAILED), 0));
        updates.add(set(Series.of(Family.RUN_DIVERGED), 0));
      }
      // A diverged run's losses are NaN, which no series takes: this flag is what shows it.
      case DIVERGED -> updates.add(set(Series.of(Family.RUN_DIVERGED), 1));
      case BROKER_WAIT -> {
        if (EventLabels.STATE_WAITING.equals(labels.get(EventLabels.STATE))) {
          updates.add(new Update(Series.of(Family.BROKER_WAITS), Update.Op.ADD, 1));
        }
      }
      case DEAD_LETTER -> deadLetters(updates, metrics, true);
      case RUN_FINISHED -> {
        updates.add(set(Series.of(Family.RUN_FINISHED), 1));
        String outcome = labels.get(EventLabels.OUTCOME);
        if (EventLabels.OUTCOME_FAILED.equals(outcome)
            || EventLabels.OUTCOME_DIVERGED.equals(outcome)) {
          updates.add(set(Series.of(Family.RUN_FAILED), 1));
        }
        deadLetters(updates, metrics, false);
        publishFailures(updates, metrics);
        gauge(
            updates,
            metrics,
            EventMetricNames.SAMPLES_PER_SECOND,
            Series.of(Family.SAMPLES_PER_SECOND));
      }
      default -> {}
    }
    return updates;
  }

  /** Whether the event carries a NaN or infinite metric value (which {@link #updates} skips). */
  public static boolean hasNonFiniteValue(TrainingEvent event) {
    return event.getMetrics().values().stream().anyMatch(v -> v == null || !Double.isFinite(v));
  }

  // The event's cumulative count if it has one; else one more dead letter (a DEAD_LETTER event).
  private static void deadLetters(
      List<Update> updates, Map<String, Double> metrics, boolean countIfMissing) {
    Series series = Series.of(Family.RUN_DEAD_LETTERS);
    Double cumulative = metrics.get(EventMetricNames.DEAD_LETTERS);
    if (cumulative != null && Double.isFinite(cumulative)) {
      updates.add(new Update(series, Update.Op.MAX, cumulative));
    } else if (countIfMissing && cumulative == null) {
      updates.add(new Update(series, Update.Op.ADD, 1));
    }
  }

  // Cumulative in the events, so a lost event (the very thing counted) loses no count.
  private static void publishFailures(List<Update> updates, Map<String, Double> metrics) {
    Double cumulative = metrics.get(EventMetricNames.PUBLISH_FAILURES);
    if (cumulative != null && Double.isFinite(cumulative)) {
      updates.add(new Update(Series.of(Family.PUBLISH_FAILURES), Update.Op.MAX, cumulative));
    }
  }

  private static void gauge(
      List<Update> updates, Map<String, Double> metrics, String name, Series series) {
    Double value = metrics.get(name);
    if (value != null && Double.isFinite(value)) {
      updates.add(set(series, value));
    }
  }

  /**
   * An estimate and its interval bounds. The bounds follow their estimate: written only with it,
   * and when the event has none (or a non-finite one) the stored bound becomes NaN, which {@link
   * LiveRuns} does not show, so that an older bound never sits beside a newer value.
   */
  private static void estimate(
      List<Update> updates, Map<String, Double> metrics, String name, Series series) {
    Double value = metrics.get(name);
    if (value == null || !Double.isFinite(value)) {
      return;
    }
    updates.add(set(series, value));
    bound(updates, series, Family.LOW, metrics.get(EventMetricNames.low(name)));
    bound(updates, series, Family.HIGH, metrics.get(EventMetricNames.high(name)));
  }

  private static void bound(List<Update> updates, Series estimate, String which, Double value) {
    estimate
        .bound(which)
        .ifPresent(
            series ->
                updates.add(
                    set(series, value != null && Double.isFinite(value) ? value : Double.NaN)));
  }

  private static Update set(Series series, double value) {
    return new Update(series, Update.Op.SET, value);
  }

  private static Map<String, String> with(Map<String, String> labels, String... keyValues) {
    Map<String, String> merged = new java.util.HashMap<>(labels);
    for (int i = 0; i < keyValues.length; i += 2) {
      merged.put(keyValues[i], keyValues[i + 1]);
    }
    return merged;
  }
}
