package io.memoscope.trainer.heads;

import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Small in-memory data for trainer tests: class-conditional grey images (a fixed random prototype
 * per class plus per-sample noise, so a CNN learns the class but every sample differs) with random
 * labels from the protocol's function.
 */
record TinyData(INDArray features, INDArray classLabels, List<INDArray> randomLabels) {

  static TinyData generate(
      int count,
      int size,
      int classes,
      int randomClasses,
      Split split,
      long seed,
      DataType dataType) {
    Random prototypes = new Random(seed);
    float[][] prototype = new float[classes][size * size];
    for (float[] p : prototype) {
      for (int i = 0; i < p.length; i++) {
        p[i] = prototypes.nextFloat();
      }
    }
    Random noise = new Random(seed * 31 + split.ordinal());
    INDArray features = Nd4j.create(dataType, count, 1, size, size);
    INDArray classLabels = Nd4j.zeros(dataType, count, classes);
    INDArray random = Nd4j.zeros(dataType, count, randomClasses);
    for (int i = 0; i < count; i++) {
      int label = i % classes;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          double value = 0.6 * prototype[label][y * size + x] + 0.4 * noise.nextFloat();
          features.putScalar(new long[] {i, 0, y, x}, value);
        }
      }
      classLabels.putScalar(i, label, 1);
      random.putScalar(i, RandomLabels.label(seed, "tiny", split, i, 0, randomClasses), 1);
    }
    return new TinyData(features, classLabels, List.of(random));
  }

  int size() {
    return (int) features.size(0);
  }

  /** Rows [from, to) of everything. */
  TinyData slice(int from, int to) {
    List<INDArray> labels = new ArrayList<>();
    randomLabels.forEach(l -> labels.add(rows(l, from, to)));
    return new TinyData(rows(features, from, to), rows(classLabels, from, to), labels);
  }

  private static INDArray rows(INDArray array, int from, int to) {
    return array.get(NDArrayIndex.interval(from, to)).dup();
  }
}
