package io.memoscope.ingest;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.serde.DatasetInfoDeserializer;
import io.memoscope.protocol.serde.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appending is only meaningful into a data set of the same kind: same image shape and classes, and
 * random labels from the same function parameters. Checked against the data set's latest {@link
 * DatasetInfo} before anything is sent.
 */
final class DatasetCompatibility {

  private static final Logger log = LoggerFactory.getLogger(DatasetCompatibility.class);

  private final TopicScanner scanner;

  DatasetCompatibility(TopicScanner scanner) {
    this.scanner = scanner;
  }

  void check(IngestConfig config, OpenedDataset data, Map<Split, Long> existing) {
    if (existing.values().stream().allMatch(count -> count == 0)) {
      return;
    }
    Optional<DatasetInfo> current = latest(config.dataset());
    if (current.isEmpty()) {
      log.warn(
          "{} holds records but {} has no DatasetInfo for it; appending without a compatibility check",
          Topics.samples(config.dataset(), Split.train),
          Topics.DATASETS);
      return;
    }
    DatasetInfo info = current.get();
    ImageShape shape = data.shape();
    List<String> differences = new ArrayList<>();
    compare(
        differences,
        "image shape",
        info.getHeight() + "x" + info.getWidth() + "x" + info.getChannels(),
        shape.toString());
    compare(differences, "classes", info.getClassNames(), data.classNames());
    compare(differences, "random-classes", info.getRandomClasses(), config.randomClasses());
    compare(differences, "seed", info.getLabelSeed(), config.seed());
    compare(differences, "labelings", info.getLabelings(), config.labelings());
    if (!differences.isEmpty()) {
      throw new IngestException(
          "cannot append to data set "
              + config.dataset()
              + ": "
              + String.join("; ", differences)
              + " (use --recreate to replace it)");
    }
  }

  private Optional<DatasetInfo> latest(String dataset) {
    DatasetInfoDeserializer deserializer = new DatasetInfoDeserializer();
    byte[] key = dataset.getBytes(StandardCharsets.UTF_8);
    DatasetInfo[] found = {null};
    scanner.scan(
        Topics.DATASETS,
        record -> {
          if (Arrays.equals(record.key(), key)) {
            try {
              found[0] = deserializer.deserialize(Topics.DATASETS, record.value());
            } catch (InvalidRecordException e) {
              log.warn(
                  "skipping an unreadable DatasetInfo for {} at offset {}: {}",
                  dataset,
                  record.offset(),
                  e.getMessage());
            }
          }
        });
    return Optional.ofNullable(found[0]);
  }

  private static void compare(
      List<String> differences, String what, Object existing, Object incoming) {
    if (!existing.equals(incoming)) {
      differences.add(what + " " + incoming + " differs from the existing " + existing);
    }
  }
}
