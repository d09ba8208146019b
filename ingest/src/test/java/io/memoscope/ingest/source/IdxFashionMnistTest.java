package io.memoscope.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Fashion-MNIST files as Debian's {@code dataset-fashion-mnist} installs them. Fails,
 * rather than skips, without them: the default {@code idx} source reads exactly these files.
 * Expected first labels and pixel sums were computed independently (Python's gzip module).
 */
class IdxFashionMnistTest {

  @BeforeAll
  static void filesAreInstalled() {
    for (String file :
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      Path path = IdxSource.DEFAULT_DIR.resolve(file);
      assertThat(Files.isRegularFile(path))
          .as(
              "%s is missing: install the Debian package dataset-fashion-mnist (./test.sh does it)",
              path)
          .isTrue();
    }
  }

  @Test
  void readsAllOfFashionMnistWithBalancedClasses() {
    try (OpenedDataset dataset = new IdxSource().open(SourceOptions.of(Map.of()))) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(28, 28, 1));
      assertThat(dataset.classNames())
          .containsExactly(
              "T-shirt/top",
              "Trouser",
              "Pullover",
              "Dress",
              "Coat",
              "Sandal",
              "Shirt",
              "Sneaker",
              "Bag",
              "Ankle boot");
      assertThat(dataset.count(Split.train)).isEqualTo(60_000);
      assertThat(dataset.count(Split.test)).isEqualTo(10_000);

      Tally train = Tally.of(dataset, Split.train);
      assertThat(train.samples).isEqualTo(60_000);
      assertThat(train.perClass).containsOnly(6_000);
      assertThat(train.firstLabels).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
      assertThat(train.firstImageSum).isEqualTo(76_247);
      assertThat(train.pixelSum).isEqualTo(3_431_114_169L);

      Tally test = Tally.of(dataset, Split.test);
      assertThat(test.samples).isEqualTo(10_000);
      assertThat(test.perClass).containsOnly(1_000);
      assertThat(test.firstLabels).containsExactly(9, 2, 1, 1, 6, 1, 4, 6, 5, 7);
      assertThat(test.firstImageSum).isEqualTo(33_456);
      assertThat(test.pixelSum).isEqualTo(573_469_082L);
    }
  }

  /** What one pass over a split saw. */
  private static final class Tally {
    long samples;
    final int[] perClass = new int[10];
    final List<Integer> firstLabels = new ArrayList<>();
    long firstImageSum;
    long pixelSum;

    static Tally of(OpenedDataset dataset, Split split) {
      Tally tally = new Tally();
      dataset.read(
          split,
          sample -> {
            assertThat(sample.index()).isEqualTo(tally.samples);
            assertThat(sample.pixels()).hasSize(28 * 28);
            long sum = 0;
            for (byte p : sample.pixels()) {
              sum += p & 0xff;
            }
            if (tally.samples == 0) {
              tally.firstImageSum = sum;
            }
            if (tally.firstLabels.size() < 10) {
              tally.firstLabels.add(sample.label());
            }
            tally.pixelSum += sum;
            tally.perClass[sample.label()]++;
            tally.samples++;
            return true;
          });
      return tally;
    }
  }
}
