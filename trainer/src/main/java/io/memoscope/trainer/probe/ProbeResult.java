package io.memoscope.trainer.probe;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.HeadId;
import io.memoscope.trainer.metrics.Interval;
import io.memoscope.trainer.metrics.Proportion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the probe found at one tap for one labeling.
 *
 * @param train random labels of the training subset the fresh probe fits (predicts right after
 *     training on them)
 * @param test the same recipe and size fitted on test samples: what the probe fits on its own, from
 *     images the network never trained on
 * @param epochsTrain epochs the training-subset probe trained before it converged (or hit the
 *     limit)
 * @param epochsTest the same for the test-subset probe
 * @param trainHits for each of the training subset's first {@code train.trials()} samples, in
 *     order, whether the training-subset probe predicts its random label right (its count is {@code
 *     train.successes()}); empty where not known
 */
public record ProbeResult(
    String tap,
    int labeling,
    int randomClasses,
    Proportion train,
    Proportion test,
    int epochsTrain,
    int epochsTest,
    List<Boolean> trainHits) {

  public ProbeResult {
    trainHits = List.copyOf(trainHits);
  }

  /** {@code tap/labeling}, the id of the co-trained head at the same place. */
  public String head() {
    return new HeadId(tap, labeling).id();
  }

  /**
   * Train fit − test fit, with Newcombe's interval: the sample-specific information the network put
   * into its features beyond what the probe fits by itself.
   */
  public Interval difference() {
    return train.minus(test);
  }

  /**
   * The probe's memorization index: the share of what the probe cannot fit on its own that the
   * network's features made fittable, (fit_train − fit_test) / (1 − fit_test). 0 when the features
   * hold nothing sample-specific, 1 when every training label is fitted. Its interval is the
   * difference's, divided by the same (1 − fit_test) and capped at 1: the uncertainty of the
   * denominator is left out.
   */
  public Interval memorizationIndex() {
    double headroom = 1 - test.value();
    if (headroom <= 0) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN);
    }
    return difference().map(d -> Math.min(1, d / headroom));
  }

  /**
   * Every estimate by its event metric name, as PROBE events and the run summary carry them; the
   * index only where it is defined (not when the probe fits every test label).
   */
  public Map<String, Interval> estimates() {
    Map<String, Interval> estimates = new LinkedHashMap<>();
    estimates.put(EventMetricNames.PROBE_ACCURACY, train.interval());
    estimates.put(EventMetricNames.PROBE_ACCURACY_TEST, test.interval());
    estimates.put(EventMetricNames.PROBE_DIFFERENCE, difference());
    if (Double.isFinite(memorizationIndex().value())) {
      estimates.put(EventMetricNames.PROBE_MEMORIZATION_INDEX, memorizationIndex());
    }
    return estimates;
  }
}
