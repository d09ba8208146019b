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
final class TopicContents {

  private final TopicScanner scanner;

  TopicContents(String bootstrap) {
    this.scanner = new TopicScanner(Map.of("bootstrap.servers", bootstrap), Duration.ofSeconds(30));
  }

  /** Every committed record of the split, with its key and raw value bytes. */
  List<Stored> samples(String dataset, Split split) {
    ImageSampleDeserializer deserializer = new ImageSampleDeserializer();
    String topic = Topics.samples(dataset, split);
    List<Stored> stored = new ArrayList<>();
    scanner.scan(topic, record -> stored.add(new Stored(ByteBuffer.wrap(record.key()).getLong(), record.value(),
        deserializer.deserialize(topic, record.value()))));
    return stored;
  }

  long count(String dataset, Split split) {
    return scanner.count(Topics.samples(dataset, split));
  }

  Optional<DatasetInfo> datasetInfo(String dataset) {
    DatasetInfoDeserializer deserializer = new DatasetInfoDeserializer();
    DatasetInfo[] latest = {null};
    scanner.scan(Topics.DATASETS, record -> {
      if (new String(record.key(), StandardCharsets.UTF_8).equals(dataset)) {
        latest[0] = deserializer.deserialize(Topics.DATASETS, record.value());
      }
    });
    return Optional.ofNullable(latest[0]);
  }

  /** One committed sample record. */
  record Stored(long key, byte[] bytes, ImageSample sample) {}
}
