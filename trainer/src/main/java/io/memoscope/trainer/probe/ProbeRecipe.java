package io.memoscope.trainer.probe;

/**
 * How every probe is trained: fixed, so that probes of different runs, taps and checkpoints are
 * comparable. docs/trainer.md explains each choice.
 *
 * @param hiddenWidth 0 = a linear (softmax-regression) probe; else one hidden ReLU layer this wide
 * @param maxEpochs the most passes over the fit set
 * @param patience stop when the fit set's loss has not improved by {@code minImprovement}
 *     (relative) for this many epochs
 * @param minImprovement relative loss improvement that counts as progress
 * @param learningRate Adam's step size
 * @param batchSize mini-batch size
 * @param seed initialisation and shuffling; each (tap, labeling, split) derives its own from it
 */
public record ProbeRecipe(
    int hiddenWidth,
    int maxEpochs,
    int patience,
    double minImprovement,
    double learningRate,
    int batchSize,
    long seed) {

  public ProbeRecipe {
    if (hiddenWidth < 0
        || maxEpochs < 1
        || patience < 1
        || minImprovement < 0
        || !(learningRate > 0)
        || batchSize < 1) {
      throw new IllegalArgumentException("invalid probe recipe " + this);
    }
  }

  /** The documented recipe, with the run's seed and the configured head size and epoch limit. */
  public static ProbeRecipe standard(int hiddenWidth, int maxEpochs, long seed) {
    return new ProbeRecipe(hiddenWidth, maxEpochs, 10, 1e-3, 1e-2, 128, seed);
  }
}
