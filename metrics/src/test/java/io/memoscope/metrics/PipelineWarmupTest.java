package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up: it takes the whole per-event path and leaves nothing behind. */
class PipelineWarmupTest {

  @TempDir Path stateDir;

  @Test
  void everySyntheticEventIsAppliedAndTheRegistryIsScraped() {
    PipelineWarmup.Result result = PipelineWarmup.run(2_000, stateDir);

    // Every one through the real topology (Avro serde, stores, EventsProcessor), none dropped as a
    // duplicate or invalid, and the private registry scraped with the runs on it.
    assertThat(result.applied()).isEqualTo(2_000);
    assertThat(result.scrapes()).isEqualTo(8);
    assertThat(result.scrapedBytes()).isGreaterThan(8 * 1_000);
    // Its driver's directory beside the service's own is gone again.
    assertThat(stateDir.resolve(PipelineWarmup.APPLICATION_ID)).doesNotExist();
  }

  @Test
  void anInterruptedWarmUpStopsEarly() {
    Thread.currentThread().interrupt();
    try {
      assertThat(PipelineWarmup.run(2_000, stateDir).applied()).isZero();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void itRegistersNothingOutsideItsOwnRegistry() {
    int before = Metrics.globalRegistry.getMeters().size();
    PipelineWarmup.run(500, stateDir);
    assertThat(Metrics.globalRegistry.getMeters()).hasSize(before);
  }
}
