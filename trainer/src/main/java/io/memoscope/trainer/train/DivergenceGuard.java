package io.memoscope.trainer.train;

import io.memoscope.protocol.EventLabels;
import io.memoscope.trainer.config.TrainingConfig.OnDivergence;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.MultiHeadModel.HeadStep;
import io.memoscope.trainer.heads.MultiHeadModel.StepResult;
import io.memoscope.trainer.heads.RandomLabelHead;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Watches a run for divergence: the losses every step, the parameters before every evaluation and
 * checkpoint. The first divergence is reported ({@link TrainingListener#onDivergence}) once; with
 * {@code on-divergence: stop} it then stops the run ({@link DivergedException}).
 *
 * <p>Cost: the loss check reads the doubles the step computed anyway. A parameter scan is one pass
 * over every parameter (a sum: finite exactly when every parameter is, unless it overflows, which
 * takes parameters near 10^38 / their count, diverged in any case); too much for every step of a
 * large network, so it runs only where non-finite parameters would do harm: before an evaluation,
 * and before a checkpoint is written, so that no checkpoint ever holds them. Between those, a
 * finite loss means that the parameters the step's forward pass used were finite (a NaN or ∞ weight
 * reaches the loss), so the losses see a diverged update one step later.
 */
final class DivergenceGuard {

  private final OnDivergence policy;
  private final TrainingListener listener;
  private boolean reported;

  DivergenceGuard(OnDivergence policy, TrainingListener listener) {
    this.policy = policy;
    this.listener = listener;
  }

  /** After a step: its class loss, then each head's random-label loss and regularizer. */
  void checkLosses(long step, StepResult result) {
    if (reported) {
      return;
    }
    if (!Double.isFinite(result.classLoss()) && result.classSeen() > 0) {
      diverged(new Divergence(step, EventLabels.TERM_CLASS, null, result.classLoss(), stops()));
      return;
    }
    for (HeadStep head : result.heads()) {
      if (head.seen() > 0 && !Double.isFinite(head.randomLoss())) {
        diverged(
            new Divergence(step, EventLabels.TERM_RANDOM, head.head(), head.randomLoss(), stops()));
        return;
      }
      if (head.seen() > 0 && !Double.isFinite(head.regularizerLoss())) {
        diverged(
            new Divergence(
                step, EventLabels.TERM_REGULARIZER, head.head(), head.regularizerLoss(), stops()));
        return;
      }
    }
  }

  /**
   * Before an evaluation or a checkpoint: whether every parameter is finite. When one is not, that
   * is reported (if nothing was before), and the run stops or, going on, must skip the checkpoint.
   */
  boolean checkParameters(long step, MultiHeadModel model) {
    Optional<Divergence> nonFinite = nonFiniteParameters(step, model, stops());
    if (nonFinite.isPresent() && !reported) {
      diverged(nonFinite.get());
    }
    return nonFinite.isEmpty();
  }

  /** The first network with a non-finite parameter: the shared one, then the heads in order. */
  private static Optional<Divergence> nonFiniteParameters(
      long step, MultiHeadModel model, boolean stops) {
    if (!finite(model.graph().params())) {
      return Optional.of(
          new Divergence(step, EventLabels.TERM_PARAMETERS, null, Double.NaN, stops));
    }
    for (RandomLabelHead head : model.heads()) {
      if (!finite(head.params())) {
        return Optional.of(
            new Divergence(step, EventLabels.TERM_PARAMETERS, head.spec().id(), Double.NaN, stops));
      }
    }
    return Optional.empty();
  }

  private static boolean finite(INDArray parameters) {
    return Double.isFinite(parameters.sumNumber().doubleValue());
  }

  private void diverged(Divergence divergence) {
    reported = true;
    listener.onDivergence(divergence);
    if (divergence.stops()) {
      throw new DivergedException(divergence);
    }
  }

  private boolean stops() {
    return policy == OnDivergence.STOP;
  }
}
