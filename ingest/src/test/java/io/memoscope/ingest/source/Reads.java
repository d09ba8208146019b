package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.List;

/** Test helper: everything a data set yields for a split. */
final class Reads {

  private Reads() {}

  static List<RawSample> all(OpenedDataset dataset, Split split) {
    List<RawSample> samples = new ArrayList<>();
    dataset.read(split, samples::add);
    return samples;
  }
}
