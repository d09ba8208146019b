package io.memoscope.trainer.metrics;

import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.Evaluation;
import io.memoscope.trainer.heads.RandomLabelHead;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Evaluates a model in inference mode on a fixed subset of training samples and on test samples, in
 * chunks so memory stays bounded.
 */
public final class Evaluator {

  /**
   * Labelled samples as arrays: features [N, C, H, W], one-hot class labels, one-hot random labels
   * per labeling.
   */
  public record Samples(INDArray features, INDArray classLabels, List<INDArray> randomLabels) {}

  private final int chunk;

  public Evaluator(int chunk) {
    this.chunk = chunk;
  }

  public EvaluationMetrics evaluate(
      MultiHeadModel model, long step, Samples trainSubset, Samples test) {
    Evaluation train = counts(model, trainSubset);
    Evaluation held = counts(model, test);
    List<HeadEvaluation> heads = new ArrayList<>();
    for (int i = 0; i < model.heads().size(); i++) {
      RandomLabelHead head = model.heads().get(i);
      heads.add(
          new HeadEvaluation(
              head.spec().id(),
              head.spec().classes(),
              new Proportion(train.headCorrect().get(i), train.seen()),
              new Proportion(held.headCorrect().get(i), held.seen())));
    }
    return new EvaluationMetrics(
        step,
        (double) train.classCorrect() / train.seen(),
        (double) held.classCorrect() / held.seen(),
        heads,
        train);
  }

  /** Every sample's hits, evaluated a chunk at a time. */
  private Evaluation counts(MultiHeadModel model, Samples samples) {
    int n = Math.toIntExact(samples.features().size(0));
    boolean[] classHits = new boolean[n];
    List<boolean[]> headHits = new ArrayList<>();
    for (int i = 0; i < model.heads().size(); i++) {
      headHits.add(new boolean[n]);
    }
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      List<INDArray> random = new ArrayList<>();
      for (INDArray labels : samples.randomLabels()) {
        random.add(rows(labels, from, to));
      }
      Evaluation part =
          model.evaluate(
              rows(samples.features(), from, to), rows(samples.classLabels(), from, to), random);
      System.arraycopy(part.classHits(), 0, classHits, from, to - from);
      for (int i = 0; i < headHits.size(); i++) {
        System.arraycopy(part.headHits().get(i), 0, headHits.get(i), from, to - from);
      }
    }
    return new Evaluation(classHits, headHits);
  }

  private static INDArray rows(INDArray array, long from, long to) {
    return array.get(NDArrayIndex.interval(from, to));
  }
}
