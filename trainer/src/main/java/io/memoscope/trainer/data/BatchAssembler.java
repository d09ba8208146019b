package io.memoscope.trainer.data;

import io.memoscope.trainer.net.InputShape;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns samples into a {@link Batch}: HWC bytes to NCHW floats in [0, 1], labels to one-hot.
 * Everything is filled in Java arrays first so that each batch costs one copy into ND4J per array,
 * not one native call per pixel.
 */
public final class BatchAssembler {

  /** b / 255 for every byte value b: the division is done once, not per pixel. */
  private static final float[] SCALE = new float[256];

  static {
    for (int b = 0; b < 256; b++) {
      SCALE[b] = b / 255f;
    }
  }

  private final InputShape shape;
  private final int numClasses;
  private final int randomClasses;
  private final int labelings;
  private final DataType dataType;

  /**
   * @param shape the shape every sample must have
   * @param numClasses N, width of the class one-hot
   * @param randomClasses n, width of each random-label one-hot
   * @param labelings K, how many of each sample's random labelings go into the batch
   * @param dataType FLOAT normally, DOUBLE for gradient checks
   */
  public BatchAssembler(
      InputShape shape, int numClasses, int randomClasses, int labelings, DataType dataType) {
    if (numClasses < 1 || randomClasses < 1 || labelings < 0) {
      throw new IllegalArgumentException(
          "need N >= 1, n >= 1, K >= 0, not N="
              + numClasses
              + " n="
              + randomClasses
              + " K="
              + labelings);
    }
    this.shape = shape;
    this.numClasses = numClasses;
    this.randomClasses = randomClasses;
    this.labelings = labelings;
    this.dataType = dataType;
  }

  public BatchAssembler(InputShape shape, int numClasses, int randomClasses, int labelings) {
    this(shape, numClasses, randomClasses, labelings, DataType.FLOAT);
  }

  /**
   * @throws IllegalArgumentException naming the sample, if one does not fit the shape or the label
   *     ranges
   */
  public Batch assemble(List<SampleView> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one sample");
    }
    int rows = samples.size();
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    int plane = h * w;
    float[] features = new float[rows * c * plane];
    float[] labels = new float[rows * numClasses];
    List<float[]> random = new ArrayList<>(labelings);
    for (int k = 0; k < labelings; k++) {
      random.add(new float[rows * randomClasses]);
    }
    long[] indices = new long[rows];
    for (int row = 0; row < rows; row++) {
      SampleView sample = samples.get(row);
      check(sample);
      indices[row] = sample.index();
      labels[row * numClasses + sample.label()] = 1;
      for (int k = 0; k < labelings; k++) {
        random.get(k)[row * randomClasses + sample.randomLabels()[k]] = 1;
      }
      byte[] pixels = sample.pixels();
      int base = row * c * plane;
      for (int p = 0, i = 0; p < plane; p++) {
        for (int ch = 0; ch < c; ch++, i++) {
          features[base + ch * plane + p] = SCALE[pixels[i] & 0xFF];
        }
      }
    }
    List<INDArray> randomArrays = new ArrayList<>(labelings);
    for (float[] data : random) {
      randomArrays.add(array(data, rows, randomClasses));
    }
    return new Batch(
        array(features, rows, c, h, w), array(labels, rows, numClasses), randomArrays, indices);
  }

  private void check(SampleView sample) {
    if (sample.height() != shape.height()
        || sample.width() != shape.width()
        || sample.channels() != shape.channels()) {
      throw new IllegalArgumentException(
          "sample "
              + sample.index()
              + " is "
              + sample.height()
              + "x"
              + sample.width()
              + "x"
              + sample.channels()
              + ", the batch "
              + shape.height()
              + "x"
              + shape.width()
              + "x"
              + shape.channels());
    }
    if (sample.label() < 0 || sample.label() >= numClasses) {
      throw new IllegalArgumentException(
          "sample "
              + sample.index()
              + ": label "
              + sample.label()
              + " is outside [0, "
              + numClasses
              + ")");
    }
    if (sample.randomLabels().length < labelings) {
      throw new IllegalArgumentException(
          "sample "
              + sample.index()
              + " has "
              + sample.randomLabels().length
              + " random labelings, the heads need "
              + labelings);
    }
    for (int k = 0; k < labelings; k++) {
      int label = sample.randomLabels()[k];
      if (label < 0 || label >= randomClasses) {
        throw new IllegalArgumentException(
            "sample "
                + sample.index()
                + ": random label "
                + label
                + " of labeling "
                + k
                + " is outside [0, "
                + randomClasses
                + ")");
      }
    }
  }

  private INDArray array(float[] data, long... shape) {
    INDArray array = Nd4j.create(data, shape, DataType.FLOAT);
    return dataType == DataType.FLOAT ? array : array.castTo(dataType);
  }
}
