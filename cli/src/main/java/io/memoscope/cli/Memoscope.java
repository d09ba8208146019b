package io.memoscope.cli;

import io.memoscope.protocol.config.ConfigSources;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The one launcher: {@code memoscope <command>}. Subcommands are added by the issues that build them. */
@Command(
    name = "memoscope",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {DemoCommand.class, BrokerCommand.class, IngestCommand.class, TrainCommand.class,
        ReplayCommand.class, ProbeCommand.class, RunsCommand.class, CheckCommand.class, MetricsCommand.class, ExperimentCommand.class,
        CommandLine.HelpCommand.class},
    description = {
      "Watch neural networks memorize while they train, from a Kafka stream.",
      "",
      "Settings come from, lowest to highest: built-in defaults, the config file (--config or "
          + "MEMOSCOPE_CONFIG; keys like broker.port or bootstrap), MEMOSCOPE_* environment variables "
          + "(MEMOSCOPE_BROKER_PORT, MEMOSCOPE_BOOTSTRAP), then command-line flags.",
    })
public final class Memoscope {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with settings, before the command (default: $MEMOSCOPE_CONFIG, if set).")
  Path configFile;

  private final ConfigSources sources;

  Memoscope(ConfigSources sources) {
    this.sources = sources;
  }

  /** The file and environment layers, for commands that read settings no flag covers (Kafka properties). */
  ConfigSources sources() {
    return sources;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line; returns the process exit code (0 ok, 1 failure, 2 usage error). */
  static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    ConfigSources sources;
    try {
      sources = ConfigSources.load(configFileFlag(args), env);
    } catch (RuntimeException e) {
      err.println("memoscope: " + e.getMessage());
      return 2;
    }
    CommandLine commandLine = new CommandLine(new Memoscope(sources))
        .setDefaultValueProvider(new ConfigDefaultProvider(sources))
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(new OneLineErrors());
    return commandLine.execute(args);
  }

  /**
   * The config file must be known before picocli parses, since it supplies defaults to the
   * parse itself; so {@code --config} is read here first (only before the command: after it,
   * {@code --config} is the command's own, e.g. the training config of {@code train}).
   */
  static Optional<Path> configFileFlag(String[] args) {
    for (int i = 0; i < args.length && args[i].startsWith("-"); i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Optional.of(Path.of(args[i + 1]));
      }
      if (args[i].startsWith("--config=")) {
        return Optional.of(Path.of(args[i].substring("--config=".length())));
      }
    }
    return Optional.empty();
  }
}
