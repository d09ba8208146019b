package io.memoscope.ingest;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import java.time.Duration;
import java.util.Map;

/**
 * What a committed ingest wrote.
 *
 * @param records committed records per split
 * @param firstIndex index of the first record written per split (non-zero when appending)
 * @param bytes serialized bytes of all sample values
 * @param elapsed from the first record read to the commit, verification included
 */
public record IngestSummary(
    String dataset,
    Map<Split, Long> records,
    Map<Split, Long> firstIndex,
    long bytes,
    Duration elapsed) {

  public IngestSummary {
    records = Map.copyOf(records);
    firstIndex = Map.copyOf(firstIndex);
  }

  public long totalRecords() {
    return records.values().stream().mapToLong(Long::longValue).sum();
  }

  public double imagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? totalRecords() / seconds : 0;
  }

  /** The one line the launcher ends with. */
  public String line() {
    return String.format(
        "ingested %s: train %,d, test %,d records, %.1f MB in %.1f s (%,.0f images/s) into %s, %s",
        dataset,
        records.getOrDefault(Split.train, 0L),
        records.getOrDefault(Split.test, 0L),
        bytes / 1e6,
        elapsed.toNanos() / 1e9,
        imagesPerSecond(),
        Topics.samples(dataset, Split.train),
        Topics.samples(dataset, Split.test));
  }
}
