package io.memoscope.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.ingest.Ingest;
import io.memoscope.ingest.IngestConfig;
import io.memoscope.ingest.IngestProgress;
import io.memoscope.ingest.IngestSummary;
import io.memoscope.ingest.SampleSources;
import io.memoscope.ingest.TopicContents;
import io.memoscope.ingest.TopicContents.Stored;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in source, and a third-party one, through a real broker and back. */
class SourcesRoundTripTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  @Test
  void idx() {
    IdxTestFiles.writeDataset(dir, true);
    roundTrip("idx", Map.of("dir", dir.toString()), "rt-idx");
  }

  @Test
  void cifar10() {
    CifarTestFiles.writeCifar10(dir);
    roundTrip("cifar", Map.of("dir", dir.toString()), "rt-cifar10");
  }

  @Test
  void cifar100CoarseLabels() {
    CifarTestFiles.writeCifar100(dir);
    roundTrip("cifar", Map.of("dir", dir.toString(), "labels", "coarse"), "rt-cifar100");
  }

  @Test
  void folder() {
    for (int i = 0; i < 3; i++) {
      FolderTestImages.write(dir, "train", "cat", "c" + i + ".png", FolderTestImages.rgb(6, 5, i));
      FolderTestImages.write(
          dir, "train", "dog", "d" + i + ".png", FolderTestImages.rgb(6, 5, 10 + i));
    }
    FolderTestImages.write(dir, "test", "dog", "t.png", FolderTestImages.rgb(6, 5, 99));
    roundTrip("folder", Map.of("dir", dir.toString()), "rt-folder");
  }

  @Test
  void synthetic() {
    roundTrip(
        "synthetic",
        Map.of("count", "40", "test-count", "10", "height", "12", "width", "12"),
        "rt-synthetic");
  }

  @Test
  void aThirdPartySourceOnTheClasspathIsFoundAndIngested() {
    assertThat(SampleSources.discover().all())
        .extracting(SampleSource::name)
        .containsExactly("checkerboard", "cifar", "folder", "idx", "synthetic");
    roundTrip("checkerboard", Map.of("count", "16"), "rt-checkerboard");
  }

  @Test
  void aTruncatedGzipFoundMidWayCommitsNothing() {
    IdxTestFiles.writeDataset(dir, true);
    Path testImages = dir.resolve("t10k-images-idx3-ubyte.gz");
    IdxTestFiles.cut(testImages, (int) IdxTestFiles.size(testImages) / 2);

    assertThatThrownBy(() -> ingest("idx", Map.of("dir", dir.toString()), "rt-truncated"))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("t10k-images-idx3-ubyte.gz");
    TopicContents topics = new TopicContents(kafka.bootstrapServers());
    assertThat(topics.count("rt-truncated", Split.train)).isZero();
    assertThat(topics.count("rt-truncated", Split.test)).isZero();
    assertThat(topics.datasetInfo("rt-truncated")).isEmpty();
  }

  private IngestSummary ingest(String source, Map<String, String> options, String dataset) {
    try (OpenedDataset data =
        SampleSources.discover().named(source).open(SourceOptions.of(options))) {
      return new Ingest(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              IngestConfig.defaults(dataset).withLabels(2, 7, 5),
              IngestProgress.NONE,
              () -> false)
          .run(data);
    }
  }

  private void roundTrip(String source, Map<String, String> options, String dataset) {
    ingest(source, options, dataset);

    TopicContents topics = new TopicContents(kafka.bootstrapServers());
    try (OpenedDataset data =
        SampleSources.discover().named(source).open(SourceOptions.of(options))) {
      for (Split split : Split.values()) {
        List<RawSample> expected = new ArrayList<>();
        data.read(split, expected::add);
        List<Stored> stored = topics.samples(dataset, split);
        assertThat(stored).as(split + " records").hasSize(expected.size()).isNotEmpty();
        for (int i = 0; i < expected.size(); i++) {
          ImageSample sample = stored.get(i).sample();
          assertThat(sample.getIndex()).isEqualTo(i);
          assertThat(pixels(sample)).isEqualTo(expected.get(i).pixels());
          assertThat(sample.getLabel()).isEqualTo(expected.get(i).label());
          assertThat(sample.getHeight() * sample.getWidth() * sample.getChannels())
              .isEqualTo(data.shape().pixelCount());
          assertThat(sample.getRandomLabels())
              .isEqualTo(RandomLabels.labels(5, dataset, split, i, 2, 7));
        }
      }
      assertThat(topics.datasetInfo(dataset).orElseThrow().getClassNames())
          .isEqualTo(data.classNames());
    }
  }

  private static byte[] pixels(ImageSample sample) {
    ByteBuffer buffer = sample.getPixels().duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
