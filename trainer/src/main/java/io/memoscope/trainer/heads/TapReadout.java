package io.memoscope.trainer.heads;

import io.memoscope.trainer.net.Readout;
import io.memoscope.trainer.net.Tap;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a random-label head or a probe reads at its tap: a fixed linear map R from the tap's
 * activations, flattened in (channel, row, column) order, to the head's input features.
 *
 * <p>Under {@link Readout#EQUAL} every tap gives the same number of features, {@code width}: a
 * spatial tap of C channels on H×W is average-pooled to the smallest g×g grid with C·g² ≥ width
 * (adaptive pooling: cell i covers rows ⌊i·H/g⌋ to ⌈(i+1)·H/g⌉), and the C·g² pooled values are
 * projected to {@code width} by a fixed Gaussian matrix (entries N(0, 1/width), seeded by the run's
 * seed and the tap's name) unless there are exactly {@code width} of them. A flat tap is projected
 * the same way, or read as it is when it already has {@code width} units. For small-cnn at the
 * default width 128: block1 (16×14×14) is pooled to 3×3 (144) and projected, block2 (32×7×7) is
 * pooled to 2×2 (128) and read as it is, penultimate (128) is read as it is. Pooling and projection
 * are both linear, so they are composed into one matrix once; the regularizer's gradient flows back
 * through its transpose.
 *
 * <p>Under {@link Readout#POOLED} the graph already global-average-pools a spatial tap, and the
 * readout is the identity (one feature per channel).
 */
public final class TapReadout {

  private final int inputWidth;
  private final int width;
  private final INDArray matrix;
  private final String description;

  private TapReadout(int inputWidth, int width, INDArray matrix, String description) {
    this.inputWidth = inputWidth;
    this.width = width;
    this.matrix = matrix;
    this.description = description;
  }

  /**
   * Reads {@code width} features as they are (a flat tap of that width, or a globally pooled one).
   */
  public static TapReadout identity(int width, String description) {
    return new TapReadout(width, width, null, description);
  }

  /**
   * The equal-capacity readout of a tap whose activations are {@code channels × height × width}
   * (height = width = 1 for a flat tap).
   *
   * @throws IllegalArgumentException when the tap cannot give {@code features} features
   */
  public static TapReadout equal(
      Tap tap,
      long channels,
      long height,
      long tapWidth,
      int features,
      long seed,
      DataType dataType) {
    int in = Math.toIntExact(channels * height * tapWidth);
    if (!tap.spatial() && channels == features) {
      return identity(features, tap.name() + ": " + features + " units, read as they are");
    }
    int grid = 1;
    if (tap.spatial()) {
      long most = Math.min(height, tapWidth);
      while ((long) grid * grid * channels < features && grid < most) {
        grid++;
      }
    }
    long pooled = channels * grid * grid;
    if (pooled < features) {
      throw new IllegalArgumentException(
          "tap "
              + tap.name()
              + " has only "
              + pooled
              + " features ("
              + channels
              + "×"
              + height
              + "×"
              + tapWidth
              + "), fewer than heads.readout-width "
              + features
              + "; set a smaller heads.readout-width or heads.readout=pooled");
    }
    double[][] projection =
        pooled == features
            ? identity(features)
            : gaussian(pooled, features, seed ^ ((long) tap.name().hashCode() << 32));
    double[] r = new double[in * features];
    for (int c = 0; c < channels; c++) {
      for (int gy = 0; gy < grid; gy++) {
        int y0 = (int) Math.floorDiv(gy * height, grid);
        int y1 = (int) -Math.floorDiv(-(gy + 1) * height, grid);
        for (int gx = 0; gx < grid; gx++) {
          int x0 = (int) Math.floorDiv(gx * tapWidth, grid);
          int x1 = (int) -Math.floorDiv(-(gx + 1) * tapWidth, grid);
          double share = 1.0 / ((y1 - y0) * (x1 - x0));
          double[] column = projection[(c * grid + gy) * grid + gx];
          for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
              int row = (int) ((c * height + y) * tapWidth + x);
              for (int j = 0; j < features; j++) {
                r[row * features + j] += share * column[j];
              }
            }
          }
        }
      }
    }
    String how =
        tap.spatial()
            ? String.format(
                "%s: %d×%d×%d, average-pooled to a %d×%d grid (%d)%s",
                tap.name(),
                channels,
                height,
                tapWidth,
                grid,
                grid,
                pooled,
                pooled == features ? "" : ", projected to " + features)
            : String.format("%s: %d units, projected to %d", tap.name(), channels, features);
    return new TapReadout(in, features, Nd4j.create(r, new long[] {in, features}, dataType), how);
  }

  private static double[][] identity(int size) {
    double[][] m = new double[size][size];
    for (int i = 0; i < size; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  /**
   * Rows of a {@code rows × columns} matrix with N(0, 1/columns) entries from a seeded generator.
   */
  private static double[][] gaussian(long rows, int columns, long seed) {
    Random random = new Random(seed);
    double scale = 1 / Math.sqrt(columns);
    double[][] m = new double[Math.toIntExact(rows)][columns];
    for (double[] row : m) {
      for (int j = 0; j < columns; j++) {
        row[j] = random.nextGaussian() * scale;
      }
    }
    return m;
  }

  /**
   * The head's input [batch, width] from the tap's activations ([batch, C, H, W] or [batch,
   * units]).
   */
  public INDArray apply(INDArray activations) {
    INDArray flat = flatten(activations);
    return matrix == null ? flat : flat.mmul(matrix);
  }

  /**
   * The gradient with respect to the flattened activations, from the one with respect to {@link
   * #apply}'s result.
   */
  public INDArray backward(INDArray gradient) {
    return matrix == null ? gradient : gradient.mmul(matrix.transpose());
  }

  private INDArray flatten(INDArray activations) {
    INDArray flat =
        activations.rank() == 2
            ? activations
            : activations.dup('c').reshape('c', activations.size(0), -1);
    if (flat.size(1) != inputWidth) {
      throw new IllegalArgumentException(
          "the readout expects " + inputWidth + " values per sample, not " + flat.size(1));
    }
    return flat;
  }

  /** Values per sample the readout takes (the flattened tap). */
  public int inputWidth() {
    return inputWidth;
  }

  /** Features it gives: the head's input width. */
  public int width() {
    return width;
  }

  /** E.g. {@code block1: 16×14×14, average-pooled to a 3×3 grid (144), projected to 128}. */
  public String description() {
    return description;
  }
}
