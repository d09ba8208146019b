package io.memoscope.trainer.metrics;

import io.memoscope.trainer.heads.MultiHeadModel.HeadStep;
import io.memoscope.trainer.heads.MultiHeadModel.StepResult;
import io.memoscope.trainer.net.HeadSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Sums step results until the next log, then reports their averages and starts over. */
public final class RunningMetrics {

  private final List<HeadSpec> heads;
  private long classSeen;
  private long classCorrect;
  private double classLossSum;
  private final long[] headSeen;
  private final long[] headCorrect;
  private final double[] randomLossSum;
  private final double[] regularizerLossSum;

  public RunningMetrics(List<HeadSpec> heads) {
    this.heads = List.copyOf(heads);
    this.headSeen = new long[heads.size()];
    this.headCorrect = new long[heads.size()];
    this.randomLossSum = new double[heads.size()];
    this.regularizerLossSum = new double[heads.size()];
  }

  public void add(StepResult result) {
    if (result.classSeen() > 0) {
      classSeen += result.classSeen();
      classCorrect += result.classCorrect();
      classLossSum += result.classLoss() * result.classSeen();
    }
    for (int i = 0; i < heads.size(); i++) {
      HeadStep head = result.heads().get(i);
      headSeen[i] += head.seen();
      headCorrect[i] += head.correct();
      randomLossSum[i] += head.randomLoss() * head.seen();
      regularizerLossSum[i] += head.regularizerLoss() * head.seen();
    }
  }

  /** The averages since the last call; then starts over. */
  public StepMetrics drain(long step, int epoch, double learningRate, double seconds) {
    List<HeadStepMetrics> perHead = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      HeadSpec spec = heads.get(i);
      perHead.add(
          new HeadStepMetrics(
              spec.id(),
              ratio(randomLossSum[i], headSeen[i]),
              ratio(regularizerLossSum[i], headSeen[i]),
              spec.lambda(),
              ratio(headCorrect[i], headSeen[i])));
    }
    StepMetrics metrics =
        new StepMetrics(
            step,
            epoch,
            classSeen,
            ratio(classLossSum, classSeen),
            ratio(classCorrect, classSeen),
            perHead,
            learningRate,
            seconds);
    classSeen = 0;
    classCorrect = 0;
    classLossSum = 0;
    Arrays.fill(headSeen, 0);
    Arrays.fill(headCorrect, 0);
    Arrays.fill(randomLossSum, 0);
    Arrays.fill(regularizerLossSum, 0);
    return metrics;
  }

  private static double ratio(double sum, long count) {
    return count == 0 ? Double.NaN : sum / count;
  }
}
