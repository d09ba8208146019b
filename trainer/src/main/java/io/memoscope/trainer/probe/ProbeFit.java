package io.memoscope.trainer.probe;

import io.memoscope.trainer.heads.Predictions;
import io.memoscope.trainer.heads.RandomLabelHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One probe fitted to convergence on fixed features: standardised per feature (the fit set's mean
 * and deviation, so taps of any scale train alike), then a fresh network of the recipe's shape
 * trained with Adam on seeded mini-batches until its loss on the whole set stops improving.
 *
 * @param hits for each fit-set sample, in order, whether it predicts the sample's label right after
 *     training
 * @param epochs epochs it trained
 */
record ProbeFit(boolean[] hits, int epochs) {

  /** {@link #hits()} as a list. */
  List<Boolean> hitList() {
    List<Boolean> list = new ArrayList<>(hits.length);
    for (boolean hit : hits) {
      list.add(hit);
    }
    return list;
  }

  /** Fit-set labels it predicts right after training. */
  long correct() {
    long correct = 0;
    for (boolean hit : hits) {
      correct += hit ? 1 : 0;
    }
    return correct;
  }

  static ProbeFit fit(INDArray features, INDArray oneHot, ProbeRecipe recipe, long seed) {
    INDArray x = standardised(features);
    INDArray y = oneHot.castTo(x.dataType());
    MultiLayerNetwork network =
        network((int) x.size(1), (int) y.size(1), recipe, seed, x.dataType());
    DataSet all = new DataSet(x, y);
    int n = (int) x.size(0);
    Random order = new Random(seed);
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    double best = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    int epoch = 0;
    while (epoch < recipe.maxEpochs() && sinceBest < recipe.patience()) {
      epoch++;
      shuffle(indices, order);
      for (int from = 0; from < n; from += recipe.batchSize()) {
        int to = Math.min(n, from + recipe.batchSize());
        int[] batch = Arrays.copyOfRange(indices, from, to);
        network.fit(Nd4j.pullRows(x, 1, batch), Nd4j.pullRows(y, 1, batch));
      }
      double loss = network.score(all);
      if (loss < best * (1 - recipe.minImprovement())) {
        best = loss;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
    }
    return new ProbeFit(Predictions.hits(network.output(x, false), y), epoch);
  }

  private static MultiLayerNetwork network(
      int in, int classes, ProbeRecipe recipe, long seed, DataType dataType) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            RandomLabelHead.layers(
                    in,
                    recipe.hiddenWidth(),
                    classes,
                    new Adam(recipe.learningRate()),
                    seed,
                    dataType)
                .build());
    network.init();
    return network;
  }

  /** Each column to mean 0 and deviation 1; a constant column (a dead unit) stays 0. */
  private static INDArray standardised(INDArray features) {
    INDArray mean = features.mean(0);
    INDArray deviation = features.std(false, 0);
    deviation.addi(1e-6);
    return features.subRowVector(mean).diviRowVector(deviation);
  }

  private static void shuffle(int[] indices, Random random) {
    for (int i = indices.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
  }
}
