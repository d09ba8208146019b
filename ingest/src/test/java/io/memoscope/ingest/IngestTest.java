package io.memoscope.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.ingest.IngestConfig.ExistingData;
import io.memoscope.ingest.TopicContents.Stored;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.labels.RandomLabels;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ingest pipeline against a real broker, on a small in-memory data set. */
class IngestTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private IngestSummary ingest(IngestConfig config, ListDataset data) {
    return new Ingest(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            config,
            IngestProgress.NONE,
            () -> false)
        .run(data);
  }

  private TopicContents topics() {
    return new TopicContents(kafka.bootstrapServers());
  }

  @Test
  void writesEverySampleWithItsClassAndTheFunctionsRandomLabels() {
    ListDataset data = ListDataset.of(7, 4);
    IngestConfig config = IngestConfig.defaults("round-trip").withLabels(3, 5, -9);

    IngestSummary summary = ingest(config, data);

    assertThat(summary.records()).containsEntry(Split.train, 7L).containsEntry(Split.test, 4L);
    for (Split split : Split.values()) {
      List<Stored> stored = topics().samples("round-trip", split);
      assertThat(stored).hasSize(data.get(split).size());
      for (int i = 0; i < stored.size(); i++) {
        RawSample raw = data.get(split).get(i);
        ImageSample sample = stored.get(i).sample();
        assertThat(stored.get(i).key()).isEqualTo(i);
        assertThat(sample.getIndex()).isEqualTo(i);
        assertThat(sample.getSplit()).isEqualTo(split);
        assertThat(bytes(sample.getPixels())).isEqualTo(raw.pixels());
        assertThat(sample.getLabel()).isEqualTo(raw.label());
        assertThat(sample.getNumClasses()).isEqualTo(3);
        assertThat(sample.getRandomLabels())
            .isEqualTo(RandomLabels.labels(-9, "round-trip", split, i, 3, 5));
      }
    }
    DatasetInfo info = topics().datasetInfo("round-trip").orElseThrow();
    assertThat(info.getTrainCount()).isEqualTo(7);
    assertThat(info.getTestCount()).isEqualTo(4);
    assertThat(info.getClassNames()).containsExactly("zero", "one", "two");
    assertThat(info.getLabelings()).isEqualTo(3);
    assertThat(info.getRandomClasses()).isEqualTo(5);
    assertThat(info.getLabelSeed()).isEqualTo(-9);
    assertThat(summary.bytes()).isPositive();
  }

  @Test
  void aSourceThatFailsHalfWayLeavesNothingVisible() {
    ListDataset data = ListDataset.of(50, 20).failingAfterTestSamples(10);

    assertThatThrownBy(() -> ingest(IngestConfig.defaults("half-way"), data))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("truncated");

    assertThat(topics().count("half-way", Split.train)).isZero();
    assertThat(topics().count("half-way", Split.test)).isZero();
    assertThat(topics().datasetInfo("half-way")).isEmpty();
    // The aborted attempt does not count as data: a fixed re-run goes through without --append.
    assertThat(ingest(IngestConfig.defaults("half-way"), ListDataset.of(50, 20)).totalRecords())
        .isEqualTo(70);
  }

  @Test
  void anInterruptedIngestLeavesNothingVisible() {
    AtomicLong polls = new AtomicLong();
    Ingest ingest =
        new Ingest(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            IngestConfig.defaults("interrupted"),
            IngestProgress.NONE,
            () -> polls.incrementAndGet() > 30);

    assertThatThrownBy(() -> ingest.run(ListDataset.of(40, 10)))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("interrupted");
    assertThat(topics().count("interrupted", Split.train)).isZero();
  }

  @Test
  void refusesToAppendUnlessToldAndAppendContinuesTheIndices() {
    ingest(IngestConfig.defaults("twice"), ListDataset.of(5, 2));

    assertThatThrownBy(() -> ingest(IngestConfig.defaults("twice"), ListDataset.of(5, 2)))
        .isInstanceOf(IngestException.class)
        .hasMessage(
            "samples.twice.train already holds 5 records: pass --append to add the new samples after them,"
                + " or --recreate to replace them");
    assertThat(topics().count("twice", Split.train)).isEqualTo(5);

    IngestSummary appended =
        ingest(
            IngestConfig.defaults("twice").withExisting(ExistingData.APPEND), ListDataset.of(3, 1));

    assertThat(appended.firstIndex()).containsEntry(Split.train, 5L).containsEntry(Split.test, 2L);
    List<Stored> train = topics().samples("twice", Split.train);
    assertThat(train).extracting(Stored::key).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(train.get(6).sample().getRandomLabels())
        .isEqualTo(RandomLabels.labels(IngestConfig.DEFAULT_SEED, "twice", Split.train, 6, 1, 10));
    DatasetInfo info = topics().datasetInfo("twice").orElseThrow();
    assertThat(info.getTrainCount()).isEqualTo(8);
    assertThat(info.getTestCount()).isEqualTo(3);
  }

  @Test
  void appendRefusesADifferentLabelSetup() {
    ingest(IngestConfig.defaults("append-check"), ListDataset.of(2, 1));

    assertThatThrownBy(
            () ->
                ingest(
                    IngestConfig.defaults("append-check")
                        .withExisting(ExistingData.APPEND)
                        .withLabels(1, 10, 7),
                    ListDataset.of(2, 1)))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("seed 7 differs from the existing 42");
  }

  @Test
  void recreateReplacesTheDataWithByteIdenticalRecords() {
    ingest(IngestConfig.defaults("again"), ListDataset.of(6, 3));
    List<Stored> first = topics().samples("again", Split.train);

    ingest(
        IngestConfig.defaults("again").withExisting(ExistingData.RECREATE), ListDataset.of(6, 3));

    List<Stored> second = topics().samples("again", Split.train);
    assertThat(second).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(second.get(i).bytes()).isEqualTo(first.get(i).bytes());
    }
  }

  @Test
  void limitCapsEachSplit() {
    IngestSummary summary =
        ingest(IngestConfig.defaults("limited").withLimit(4), ListDataset.of(10, 3));

    assertThat(summary.records()).containsEntry(Split.train, 4L).containsEntry(Split.test, 3L);
    assertThat(topics().count("limited", Split.train)).isEqualTo(4);
    assertThat(topics().datasetInfo("limited").orElseThrow().getTrainCount()).isEqualTo(4);
  }

  @Test
  void partitionsAreAnOptionAndTheKeyIsTheIndex() {
    ingest(
        IngestConfig.defaults("spread").withTopics(3, TopicSettings.DEFAULTS),
        ListDataset.of(30, 3));

    List<Stored> train = topics().samples("spread", Split.train);
    assertThat(train).hasSize(30);
    assertThat(train).allSatisfy(s -> assertThat(s.key()).isEqualTo(s.sample().getIndex()));
  }

  @Test
  void anUnreachableBrokerFailsWithinTheTimeout() {
    Ingest ingest =
        new Ingest(
            Map.of("bootstrap.servers", "127.0.0.1:1"),
            IngestConfig.defaults("nowhere").withTimeout(Duration.ofSeconds(1)),
            IngestProgress.NONE,
            () -> false);
    long start = System.nanoTime();

    assertThatThrownBy(() -> ingest.run(ListDataset.of(1, 1)))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("cannot reach Kafka at 127.0.0.1:1 within 1.0 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
