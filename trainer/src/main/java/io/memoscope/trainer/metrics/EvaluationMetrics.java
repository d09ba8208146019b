package io.memoscope.trainer.metrics;

import io.memoscope.protocol.EventMetricNames;
import io.memoscope.trainer.heads.MultiHeadModel.Evaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation, in inference mode.
 *
 * @param step optimizer steps taken so far
 * @param trainAccuracy class accuracy on the fixed training subset
 * @param testAccuracy class accuracy on the test samples
 * @param trainHits per sample of the training subset, in subset order, whether the class head and
 *     each head (in {@code heads} order) predicted it: what per-sample memorization is made of
 */
public record EvaluationMetrics(
    long step,
    double trainAccuracy,
    double testAccuracy,
    List<HeadEvaluation> heads,
    Evaluation trainHits) {

  /** No per-sample hits (an evaluation reported by counts alone). */
  public static final Evaluation NO_HITS = new Evaluation(new boolean[0], List.of());

  public EvaluationMetrics {
    heads = List.copyOf(heads);
  }

  /** An evaluation reported by its counts alone. */
  public EvaluationMetrics(
      long step, double trainAccuracy, double testAccuracy, List<HeadEvaluation> heads) {
    this(step, trainAccuracy, testAccuracy, heads, NO_HITS);
  }

  /** Train accuracy − test accuracy. */
  public double generalizationGap() {
    return trainAccuracy - testAccuracy;
  }

  /**
   * One co-trained head's evaluation.
   *
   * @param randomClasses n, so chance is 1/n
   * @param train random labels of the fixed training subset predicted right (the memorization
   *     metric)
   * @param test random labels of test samples predicted right: chance by construction, a sanity
   *     check
   */
  public record HeadEvaluation(String head, int randomClasses, Proportion train, Proportion test) {

    /** Random-label accuracy (RLA) on the training subset. */
    public double trainAccuracy() {
      return train.value();
    }

    /** RLA on test samples. */
    public double testAccuracy() {
      return test.value();
    }

    /** The chance-corrected RLA, M = (RLA − 1/n)/(1 − 1/n). */
    public double memorizationIndex() {
      return MemorizationIndex.of(trainAccuracy(), randomClasses);
    }

    /** M with the Wilson interval of the RLA carried through the (increasing) correction. */
    public Interval memorizationIndexInterval() {
      return train.interval().map(rla -> MemorizationIndex.of(rla, randomClasses));
    }

    /** Every estimate by its event metric name, as EVAL events and the run summary carry them. */
    public Map<String, Interval> estimates() {
      Map<String, Interval> estimates = new LinkedHashMap<>();
      estimates.put(EventMetricNames.RANDOM_LABEL_ACCURACY, train.interval());
      estimates.put(EventMetricNames.MEMORIZATION_INDEX, memorizationIndexInterval());
      estimates.put(EventMetricNames.RANDOM_LABEL_ACCURACY_TEST, test.interval());
      return estimates;
    }
  }
}
