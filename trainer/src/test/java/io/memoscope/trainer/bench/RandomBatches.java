package io.memoscope.trainer.bench;

import io.memoscope.trainer.metrics.Evaluator.Samples;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** A few random batches (uniform images, uniform class and head labels) cycled through. */
final class RandomBatches {

  private static final int DISTINCT = 8;

  private final List<MultiDataSet> batches = new ArrayList<>();
  private int next;

  RandomBatches(int batch, long seed) {
    Nd4j.getRandom().setSeed(seed);
    for (int i = 0; i < DISTINCT; i++) {
      INDArray images = Nd4j.rand(DataType.FLOAT, batch, 1, SmallCnnGraph.SIDE, SmallCnnGraph.SIDE);
      batches.add(
          new MultiDataSet(new INDArray[] {images}, new INDArray[] {oneHot(batch), oneHot(batch)}));
    }
  }

  /** {@code count} random images with random class and head labels, as evaluation samples. */
  static Samples samples(int count, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray images = Nd4j.rand(DataType.FLOAT, count, 1, SmallCnnGraph.SIDE, SmallCnnGraph.SIDE);
    return new Samples(images, oneHot(count), List.of(oneHot(count)));
  }

  MultiDataSet next() {
    MultiDataSet batch = batches.get(next);
    next = (next + 1) % batches.size();
    return batch;
  }

  private static INDArray oneHot(int batch) {
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, SmallCnnGraph.CLASSES);
    for (int i = 0; i < batch; i++) {
      labels.putScalar(i, Nd4j.getRandom().nextInt(SmallCnnGraph.CLASSES), 1f);
    }
    return labels;
  }
}
