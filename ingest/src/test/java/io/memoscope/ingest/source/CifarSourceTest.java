package io.memoscope.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarSourceTest {

  @TempDir Path dir;

  private final CifarSource source = new CifarSource();

  private OpenedDataset open(Map<String, String> extra) {
    Map<String, String> options = new HashMap<>(extra);
    options.putIfAbsent("dir", dir.toString());
    return source.open(SourceOptions.of(options));
  }

  @Test
  void describesItself() {
    assertThat(source.name()).isEqualTo("cifar");
    assertThat(source.description()).contains("CIFAR-10").contains("CIFAR-100");
    assertThat(source.options()).containsExactlyInAnyOrder("dir", "labels");
  }

  @Test
  void readsCifar10AcrossBatchesInOrder() {
    CifarTestFiles.writeCifar10(dir);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(32, 32, 3));
      assertThat(dataset.classNames())
          .containsExactly(
              "airplane",
              "automobile",
              "bird",
              "cat",
              "deer",
              "dog",
              "frog",
              "horse",
              "ship",
              "truck");
      assertThat(dataset.count(Split.train)).isEqualTo(CifarTestFiles.TRAIN_10);
      assertThat(dataset.count(Split.test)).isEqualTo(CifarTestFiles.TEST_10);
      for (Split split : Split.values()) {
        List<RawSample> samples = Reads.all(dataset, split);
        assertThat(samples).hasSize((int) dataset.count(split));
        for (int i = 0; i < samples.size(); i++) {
          RawSample sample = samples.get(i);
          assertThat(sample.index()).isEqualTo(i);
          assertThat(sample.label())
              .as("%s label %d", split, i)
              .isEqualTo(CifarTestFiles.label10(split, i));
          assertThat(sample.pixels())
              .as("%s pixels %d", split, i)
              .isEqualTo(CifarTestFiles.hwc(CifarTestFiles.seed(split, i)));
        }
      }
    }
  }

  @Test
  void turnsColourPlanesIntoInterleavedPixels() {
    byte[] planes = new byte[3 * CifarTestFiles.PLANE];
    java.util.Arrays.fill(planes, 0, 1024, (byte) 10);
    java.util.Arrays.fill(planes, 1024, 2048, (byte) 20);
    java.util.Arrays.fill(planes, 2048, 3072, (byte) 30);
    // row 5, column 7: a distinct value in each plane
    planes[5 * 32 + 7] = (byte) 200;
    planes[1024 + 5 * 32 + 7] = (byte) 201;
    planes[2048 + 5 * 32 + 7] = (byte) 202;
    byte[] record = CifarTestFiles.record(new byte[] {4}, planes);
    CifarTestFiles.writeCifar10(dir);
    CifarTestFiles.write(dir.resolve("data_batch_1.bin"), record);
    try (OpenedDataset dataset = open(Map.of())) {
      byte[] pixels = Reads.all(dataset, Split.train).get(0).pixels();
      assertThat(pixels).hasSize(32 * 32 * 3);
      assertThat(pixels).startsWith(10, 20, 30, 10, 20, 30).endsWith(10, 20, 30);
      int at = (5 * 32 + 7) * 3;
      assertThat(new int[] {pixels[at] & 0xff, pixels[at + 1] & 0xff, pixels[at + 2] & 0xff})
          .containsExactly(200, 201, 202);
      assertThat(new int[] {pixels[at - 3], pixels[at + 3]}).containsExactly(10, 10);
    }
  }

  @Test
  void readsClassNamesFromBatchesMeta() {
    CifarTestFiles.writeCifar10(dir);
    CifarTestFiles.writeLines(
        dir.resolve("batches.meta.txt"),
        "plane",
        "car",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        " truck ",
        "",
        "");
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.classNames()).startsWith("plane", "car").endsWith("truck").hasSize(10);
    }
  }

  @Test
  void findsTheUnpackedSubfolders() {
    CifarTestFiles.writeCifar10(dir.resolve("cifar-10-batches-bin"));
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.count(Split.train)).isEqualTo(CifarTestFiles.TRAIN_10);
    }
    Path other = dir.resolve("other");
    CifarTestFiles.writeCifar100(other.resolve("cifar-100-binary"));
    try (OpenedDataset dataset = open(Map.of("dir", other.toString()))) {
      assertThat(dataset.count(Split.train)).isEqualTo(CifarTestFiles.TRAIN_100);
    }
  }

  @Test
  void readsCifar100FineLabelsByDefault() {
    CifarTestFiles.writeCifar100(dir);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.shape()).isEqualTo(new ImageShape(32, 32, 3));
      assertThat(dataset.classNames()).hasSize(100).startsWith("0", "1").endsWith("99");
      assertThat(dataset.count(Split.train)).isEqualTo(CifarTestFiles.TRAIN_100);
      assertThat(dataset.count(Split.test)).isEqualTo(CifarTestFiles.TEST_100);
      for (Split split : Split.values()) {
        List<RawSample> samples = Reads.all(dataset, split);
        assertThat(samples)
            .extracting(RawSample::label)
            .containsExactlyElementsOf(
                IntStream.range(0, samples.size())
                    .mapToObj(i -> CifarTestFiles.fine(split, i))
                    .toList());
        assertThat(samples.get(samples.size() - 1).pixels())
            .isEqualTo(CifarTestFiles.hwc(CifarTestFiles.seed(split, samples.size() - 1)));
      }
    }
  }

  @Test
  void readsCifar100CoarseLabelsOnRequest() {
    CifarTestFiles.writeCifar100(dir);
    try (OpenedDataset dataset = open(Map.of("labels", "coarse"))) {
      assertThat(dataset.classNames()).hasSize(20);
      assertThat(Reads.all(dataset, Split.test))
          .extracting(RawSample::label)
          .containsExactlyElementsOf(
              IntStream.range(0, CifarTestFiles.TEST_100)
                  .mapToObj(i -> CifarTestFiles.coarse(Split.test, i))
                  .toList());
      assertThat(Reads.all(dataset, Split.train).get(2).pixels())
          .isEqualTo(CifarTestFiles.hwc(CifarTestFiles.seed(Split.train, 2)));
    }
    try (OpenedDataset dataset = open(Map.of("labels", "fine"))) {
      assertThat(dataset.classNames()).hasSize(100);
    }
  }

  @Test
  void readsCifar100ClassNameFiles() {
    CifarTestFiles.writeCifar100(dir);
    String[] fine = IntStream.range(0, 100).mapToObj(i -> "fine" + i).toArray(String[]::new);
    String[] coarse = IntStream.range(0, 20).mapToObj(i -> "coarse" + i).toArray(String[]::new);
    CifarTestFiles.writeLines(dir.resolve("fine_label_names.txt"), fine);
    CifarTestFiles.writeLines(dir.resolve("coarse_label_names.txt"), coarse);
    try (OpenedDataset dataset = open(Map.of())) {
      assertThat(dataset.classNames()).containsExactly(fine);
    }
    try (OpenedDataset dataset = open(Map.of("labels", "coarse"))) {
      assertThat(dataset.classNames()).containsExactly(coarse);
    }
  }

  @Test
  void stopsWhenTheSinkSaysSoAcrossBatchFiles() {
    CifarTestFiles.writeCifar10(dir);
    try (OpenedDataset dataset = open(Map.of())) {
      List<Long> seen = new ArrayList<>();
      // batches hold 3, 1, 4, … records: the fifth sample is the first of data_batch_3.bin
      dataset.read(
          Split.train,
          sample -> {
            seen.add(sample.index());
            return seen.size() < 5;
          });
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
    }
  }

  @Test
  void givesEachSampleItsOwnPixels() {
    CifarTestFiles.writeCifar10(dir);
    try (OpenedDataset dataset = open(Map.of())) {
      List<RawSample> samples = Reads.all(dataset, Split.train);
      samples.get(0).pixels()[0] ^= (byte) 0xff;
      assertThat(samples.get(1).pixels())
          .isEqualTo(CifarTestFiles.hwc(CifarTestFiles.seed(Split.train, 1)));
      assertThat(samples.get(0).pixels()).isNotSameAs(samples.get(1).pixels());
    }
  }
}
