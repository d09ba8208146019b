package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code memoscope metrics}'s flags, without starting anything. */
class MetricsCommandTest {

  @Test
  void helpListsTheOptions() {
    CliRun run = CliRun.of(Map.of(), "metrics", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "--bootstrap",
            "--port",
            "--bind",
            "--retention",
            "--state-dir",
            "--application-id",
            "/api/runs/{id}/openmetrics");
  }

  @Test
  void aBadSettingIsAUsageErrorBeforeAnythingStarts() {
    CliRun run = CliRun.of(Map.of(), "metrics", "--port", "70000");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("port must be between 0 and 65535");
  }
}
