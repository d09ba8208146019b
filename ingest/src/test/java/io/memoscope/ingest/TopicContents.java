package io.memoscope.ingest;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.serde.DatasetInfoDeserializer;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a read_committed consumer finds on a data set's topics: the test's view of "visible". */
public final class TopicContents {

  private final TopicScanner scanner;

  public TopicContents(String bootstrap) {
    this.scanner = new TopicScanner(Map.of("bootstrap.servers", bootstrap), Duration.ofSeconds(30));
  }

  /** Every committed record of the split, with its key and raw value bytes. */
  public List<Stored> samples(String dataset, Split split) {
    ImageSampleDeserializer deserializer = new ImageSampleDeserializer();
    String topic = Topics.samples(dataset, split);
    List<Stored> stored = new ArrayList<>();
    scanner.scan(
        topic,
        record ->
            stored.add(
                new Stored(
                    ByteBuffer.wrap(record.key()).getLong(),
                    record.value(),
                    deserializer.deserialize(topic, record.value()))));
    return stored;
  }

  /** How many committed samples of the split have each class label. */
  public long[] labelCounts(String dataset, Split split, int classes) {
    ImageSampleDeserializer deserializer = new ImageSampleDeserializer();
    String topic = Topics.samples(dataset, split);
    long[] counts = new long[classes];
    scanner.scan(
        topic, record -> counts[deserializer.deserialize(topic, record.value()).getLabel()]++);
    return counts;
  }

  public long count(String dataset, Split split) {
    return scanner.count(Topics.samples(dataset, split));
  }

  public Optional<DatasetInfo> datasetInfo(String dataset) {
    DatasetInfoDeserializer deserializer = new DatasetInfoDeserializer();
    DatasetInfo[] latest = {null};
    scanner.scan(
        Topics.DATASETS,
        record -> {
          if (new String(record.key(), StandardCharsets.UTF_8).equals(dataset)) {
            latest[0] = deserializer.deserialize(Topics.DATASETS, record.value());
          }
        });
    return Optional.ofNullable(latest[0]);
  }

  /** One committed sample record. */
  public record Stored(long key, byte[] bytes, ImageSample sample) {}
}
