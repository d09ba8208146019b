package io.memoscope.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The synthetic classes are learnable but not trivial: a nearest-centroid classifier on raw pixels
 * is far above chance yet far from perfect, and the same classifier on shift-invariant features
 * (low-frequency Fourier magnitudes) does clearly better, so the class information is there for a
 * model that can cope with shifts, as a CNN can.
 */
class SyntheticLearnabilityTest {

  private static final int CLASSES = 10;
  private static final int SIDE = 28;

  @Test
  void nearestCentroidOnRawPixelsIsWellAboveChanceButFarFromPerfect() {
    try (OpenedDataset dataset =
        new SyntheticSource()
            .open(
                SourceOptions.of(
                    Map.of(
                        "classes", "10", "count", "3000", "test-count", "1000", "seed", "42")))) {
      List<RawSample> train = Reads.all(dataset, Split.train);
      List<RawSample> test = Reads.all(dataset, Split.test);

      double raw = accuracy(train, test, SyntheticLearnabilityTest::raw);
      double spectrum = accuracy(train, test, SyntheticLearnabilityTest::spectrum);
      System.out.printf(
          "nearest-centroid test accuracy: raw pixels %.3f, Fourier magnitudes %.3f (chance %.3f)%n",
          raw, spectrum, 1.0 / CLASSES);

      assertThat(raw).isGreaterThan(2.0 / CLASSES).isLessThan(0.8);
      assertThat(spectrum).isGreaterThan(raw + 0.15);
    }
  }

  private static double accuracy(
      List<RawSample> train, List<RawSample> test, Function<RawSample, double[]> features) {
    double[][] centroids = new double[CLASSES][];
    int[] counts = new int[CLASSES];
    for (RawSample sample : train) {
      double[] f = features.apply(sample);
      double[] c =
          centroids[sample.label()] == null
              ? centroids[sample.label()] = new double[f.length]
              : centroids[sample.label()];
      for (int i = 0; i < f.length; i++) {
        c[i] += f[i];
      }
      counts[sample.label()]++;
    }
    for (int k = 0; k < CLASSES; k++) {
      for (int i = 0; i < centroids[k].length; i++) {
        centroids[k][i] /= counts[k];
      }
    }
    int correct = 0;
    for (RawSample sample : test) {
      double[] f = features.apply(sample);
      int best = 0;
      double bestDistance = Double.MAX_VALUE;
      for (int k = 0; k < CLASSES; k++) {
        double distance = 0;
        for (int i = 0; i < f.length; i++) {
          double d = f[i] - centroids[k][i];
          distance += d * d;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = k;
        }
      }
      correct += best == sample.label() ? 1 : 0;
    }
    return correct / (double) test.size();
  }

  private static double[] raw(RawSample sample) {
    double[] values = new double[sample.pixels().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = sample.pixels()[i] & 0xFF;
    }
    return values;
  }

  /**
   * log(1 + |F(ky, kx)|) for 0 ≤ ky ≤ 6, |kx| ≤ 6: unchanged by circular shifts, nearly so by
   * others.
   */
  private static double[] spectrum(RawSample sample) {
    int k = 6;
    double[] pixels = raw(sample);
    double mean = 0;
    for (double p : pixels) {
      mean += p / pixels.length;
    }
    // Separable DFT: rows first (one value per row and kx), then columns.
    double[][] rowRe = new double[SIDE][2 * k + 1];
    double[][] rowIm = new double[SIDE][2 * k + 1];
    for (int y = 0; y < SIDE; y++) {
      for (int kx = -k; kx <= k; kx++) {
        for (int x = 0; x < SIDE; x++) {
          double angle = -2 * Math.PI * kx * x / SIDE;
          double p = pixels[y * SIDE + x] - mean;
          rowRe[y][kx + k] += p * Math.cos(angle);
          rowIm[y][kx + k] += p * Math.sin(angle);
        }
      }
    }
    double[] features = new double[(k + 1) * (2 * k + 1)];
    for (int ky = 0; ky <= k; ky++) {
      for (int kx = -k; kx <= k; kx++) {
        double re = 0;
        double im = 0;
        for (int y = 0; y < SIDE; y++) {
          double angle = -2 * Math.PI * ky * y / SIDE;
          double c = Math.cos(angle);
          double s = Math.sin(angle);
          re += rowRe[y][kx + k] * c - rowIm[y][kx + k] * s;
          im += rowRe[y][kx + k] * s + rowIm[y][kx + k] * c;
        }
        features[ky * (2 * k + 1) + kx + k] = Math.log1p(Math.hypot(re, im));
      }
    }
    return features;
  }
}
