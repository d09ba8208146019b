package io.memoscope.trainer.probe;

import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.metrics.Proportion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The independent probe (docs/trainer.md, "The probe"): freezes a model, reads its taps for the
 * training subset and for as many test samples, and fits a fresh random-label classifier per tap,
 * labeling and split with one fixed {@link ProbeRecipe}.
 *
 * <p>Random labels never generalize, so a probe is scored by how well it fits the very samples it
 * trained on. Fitted on test samples (images the network never saw, with labels just as random) it
 * shows what the recipe fits by itself; fitted on training samples, also what the network put into
 * its features about those samples. The difference is the network's memorization as read by a
 * classifier that shares nothing with the co-trained heads: not their parameters, not their
 * optimiser state, not their training history — so a head fooled by the regularizer cannot fool it.
 */
public final class Probe {

  private static final int CHUNK = 256;

  private final ProbeRecipe recipe;

  public Probe(ProbeRecipe recipe) {
    this.recipe = recipe;
  }

  /**
   * Probes {@code taps} of {@code model} (which it only reads) for every labeling the samples
   * carry.
   *
   * @param train the fixed training subset
   * @param test test samples; the first as many as {@code train} has are used (or all, and as many
   *     of {@code train}, when there are fewer)
   * @param randomClasses n of the random labels
   * @param step the model's optimizer steps, for the report
   * @param source what is being probed, for people
   */
  public ProbeReport run(
      MultiHeadModel model,
      Samples train,
      Samples test,
      List<String> taps,
      int randomClasses,
      long step,
      String source) {
    long started = System.nanoTime();
    int n = (int) Math.min(train.features().size(0), test.features().size(0));
    if (n < 2) {
      throw new IllegalArgumentException("the probe needs at least 2 samples per split, not " + n);
    }
    Map<String, INDArray> trainFeatures = read(model, train, n, taps);
    Map<String, INDArray> testFeatures = read(model, test, n, taps);
    int labelings = train.randomLabels().size();
    List<ProbeResult> results = new ArrayList<>();
    for (int t = 0; t < taps.size(); t++) {
      String tap = taps.get(t);
      for (int labeling = 0; labeling < labelings; labeling++) {
        long seed = recipe.seed() * 1_000_003L + t * 1_009L + labeling * 31L;
        ProbeFit onTrain =
            ProbeFit.fit(
                trainFeatures.get(tap), rows(train.randomLabels().get(labeling), n), recipe, seed);
        ProbeFit onTest =
            ProbeFit.fit(
                testFeatures.get(tap),
                rows(test.randomLabels().get(labeling), n),
                recipe,
                seed + 1);
        results.add(
            new ProbeResult(
                tap,
                labeling,
                randomClasses,
                new Proportion(onTrain.correct(), n),
                new Proportion(onTest.correct(), n),
                onTrain.epochs(),
                onTest.epochs(),
                onTrain.hitList()));
      }
    }
    return new ProbeReport(step, source, n, recipe, results, (System.nanoTime() - started) / 1e9);
  }

  /** The first {@code n} samples' readouts at every tap, in inference mode, in chunks. */
  private static Map<String, INDArray> read(
      MultiHeadModel model, Samples samples, int n, List<String> taps) {
    Map<String, List<INDArray>> parts = new LinkedHashMap<>();
    for (int from = 0; from < n; from += CHUNK) {
      INDArray images =
          samples.features().get(NDArrayIndex.interval(from, Math.min(n, from + CHUNK)));
      model
          .readTaps(images, taps)
          .forEach((tap, read) -> parts.computeIfAbsent(tap, k -> new ArrayList<>()).add(read));
    }
    Map<String, INDArray> features = new LinkedHashMap<>();
    parts.forEach((tap, list) -> features.put(tap, Nd4j.vstack(list.toArray(INDArray[]::new))));
    return features;
  }

  private static INDArray rows(INDArray array, int n) {
    return array.get(NDArrayIndex.interval(0, n)).dup();
  }
}
