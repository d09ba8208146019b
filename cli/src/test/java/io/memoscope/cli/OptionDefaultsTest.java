package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The flag defaults that come from constants (a module's own, or one shared by several commands)
 * are the values the flags always had: pinned here as the user sees them in {@code --help}.
 */
class OptionDefaultsTest {

  private static final CommandLine CLI =
      new CommandLine(new Memoscope(ConfigSources.load(Optional.empty(), Map.of())));

  @ParameterizedTest
  @CsvSource({
    "broker, --port, 9092",
    "broker, --start-timeout, 60s",
    "broker, --data-dir, data/broker",
    "demo, --port, 9092",
    "demo, --metrics-port, 9404",
    "demo, --data-root, data",
    "demo, --checkpoint-dir, runs",
    "metrics, --port, 9404",
    "metrics, --state-dir, data/metrics",
    "metrics, --timeout, 15s",
    "ingest, --labelings, 1",
    "ingest, --random-classes, 10",
    "ingest, --seed, 42",
    "ingest, --partitions, 1",
    "ingest, --transaction-timeout, 15m",
    "ingest, --bootstrap, 127.0.0.1:9092",
    "train, --checkpoint-dir, runs",
    "train, --checkpoint-every, 500",
    "train, --keep-checkpoints, 3",
    "train, --log-every, 50",
    "train, --ratio-every, 500",
    "experiment, --checkpoint-dir, runs",
    "experiment, --log-every, 50",
    "experiment, --checkpoint-every, 500",
    "replay, --checkpoint-dir, runs",
    "probe, --checkpoint-dir, runs",
    "check, --timeout, 15s",
  })
  void aFlagKeepsItsDefault(String command, String option, String value) {
    assertThat(CLI.getSubcommands().get(command).getCommandSpec().findOption(option).defaultValue())
        .isEqualTo(value);
  }
}
