package io.memoscope.ingest.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckerboardSourceTest {

  @Test
  void producesCountSamplesPerSplitOfBothClasses() {
    for (Map<String, String> options : List.of(Map.<String, String>of(), Map.of("count", "7"))) {
      long expected = options.isEmpty() ? 20 : 7;
      try (OpenedDataset dataset = new CheckerboardSource().open(SourceOptions.of(options))) {
        for (Split split : Split.values()) {
          List<RawSample> samples = new ArrayList<>();
          dataset.read(split, samples::add);
          assertThat(dataset.count(split)).isEqualTo(expected);
          assertThat(samples).hasSize((int) expected);
          assertThat(samples).extracting(RawSample::label).containsOnly(0, 1);
          assertThat(samples).allSatisfy(s -> assertThat(s.pixels()).hasSize(64));
        }
      }
    }
  }
}
