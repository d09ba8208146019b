package io.memoscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one launcher: {@code memoscope <command>}. Subcommands are added by the issues that build
 * them.
 */
@Command(
    name = "memoscope",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {
      DemoCommand.class,
      BrokerCommand.class,
      IngestCommand.class,
      TrainCommand.class,
      ReplayCommand.class,
      ProbeCommand.class,
      RunsCommand.class,
      SamplesCommand.class,
      CheckCommand.class,
      MetricsCommand.class,
      ExperimentCommand.class,
      CommandLine.HelpCommand.class
    },
    description = {
      "Watch neural networks memorize while they train, from a Kafka stream.",
      "",
      "Settings come from, lowest to highest: built-in defaults, the settings file (--settings or "
          + "MEMOSCOPE_SETTINGS; keys like broker.port or bootstrap), MEMOSCOPE_* environment variables "
          + "(MEMOSCOPE_BROKER_PORT, MEMOSCOPE_BOOTSTRAP), then command-line flags.",
    })
public final class Memoscope {

  @Option(
      names = GlobalArgs.SETTINGS,
      paramLabel = "FILE",
      description =
          "Properties file with settings, before the command (default: $MEMOSCOPE_SETTINGS, if set).")
  Path settingsFile;

  private final ConfigSources sources;

  Memoscope(ConfigSources sources) {
    this.sources = sources;
  }

  /**
   * The file and environment layers, for commands that read settings no flag covers (Kafka
   * properties).
   */
  ConfigSources sources() {
    return sources;
  }

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true)));
  }

  /** Runs one command line; returns the process exit code (0 ok, 1 failure, 2 usage error). */
  static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    GlobalArgs global = GlobalArgs.of(args);
    Optional<String> misplaced = global.misplacedOption();
    if (misplaced.isPresent()) {
      err.println("memoscope: " + misplaced.get());
      return 2;
    }
    ConfigSources.deprecation(env)
        .ifPresent(warning -> err.println("memoscope: warning: " + warning));
    ConfigSources sources;
    try {
      sources = ConfigSources.load(global.settingsFile(), env);
    } catch (RuntimeException e) {
      err.println("memoscope: " + e.getMessage());
      return 2;
    }
    CommandLine commandLine =
        new CommandLine(new Memoscope(sources))
            .setDefaultValueProvider(new ConfigDefaultProvider(sources))
            .setOut(out)
            .setErr(err)
            .setExecutionExceptionHandler(new OneLineErrors());
    return commandLine.execute(args);
  }
}
