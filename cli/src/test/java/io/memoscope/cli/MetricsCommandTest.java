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
            "/api/runs/{id}/openmetrics",
            "--http-config",
            "--insecure");
  }

  @Test
  void aBadSettingIsAUsageErrorBeforeAnythingStarts() {
    CliRun run = CliRun.of(Map.of(), "metrics", "--port", "70000");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("port must be between 0 and 65535");
  }

  @Test
  void aBindBeyondLoopbackWithoutAPasswordIsRefusedBeforeAnythingStarts() {
    CliRun run = CliRun.of(Map.of(), "metrics", "--bind", "0.0.0.0", "--port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--bind 0.0.0.0 serves every run's metrics and history beyond this machine without a"
                + " password: set basic auth (--http-config FILE or MEMOSCOPE_METRICS_USERNAME/"
                + "MEMOSCOPE_METRICS_PASSWORD), or say --insecure");
  }
}
