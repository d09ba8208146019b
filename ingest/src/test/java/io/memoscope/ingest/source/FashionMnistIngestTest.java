package io.memoscope.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.ingest.Ingest;
import io.memoscope.ingest.IngestConfig;
import io.memoscope.ingest.IngestProgress;
import io.memoscope.ingest.IngestSummary;
import io.memoscope.ingest.TopicContents;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Fashion-MNIST files of Debian's dataset-fashion-mnist package, through Kafka. */
class FashionMnistIngestTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @Test
  void all70000ImagesArriveWithBalancedClasses() {
    assertThat(Files.isDirectory(IdxSource.DEFAULT_DIR))
        .as(
            "%s is missing: install the Debian package dataset-fashion-mnist (./test.sh does it)",
            IdxSource.DEFAULT_DIR)
        .isTrue();
    IngestSummary summary;
    try (OpenedDataset data = new IdxSource().open(SourceOptions.of(Map.of()))) {
      summary =
          new Ingest(
                  Map.of("bootstrap.servers", kafka.bootstrapServers()),
                  IngestConfig.defaults("fashion-mnist"),
                  IngestProgress.NONE,
                  () -> false)
              .run(data);
    }

    assertThat(summary.records())
        .containsEntry(Split.train, 60_000L)
        .containsEntry(Split.test, 10_000L);
    assertClassCounts(Split.train, 6_000);
    assertClassCounts(Split.test, 1_000);
    assertThat(
            new TopicContents(kafka.bootstrapServers())
                .datasetInfo("fashion-mnist")
                .orElseThrow()
                .getClassNames())
        .containsExactlyElementsOf(IdxSource.FASHION_MNIST_CLASSES);
  }

  private void assertClassCounts(Split split, long perClass) {
    long[] counts =
        new TopicContents(kafka.bootstrapServers()).labelCounts("fashion-mnist", split, 10);
    assertThat(counts).containsOnly(perClass);
  }
}
