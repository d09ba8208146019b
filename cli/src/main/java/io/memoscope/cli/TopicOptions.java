package io.memoscope.cli;

import io.memoscope.protocol.kafka.TopicSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The topic settings of every command that may create memoscope's topics (io.memoscope.protocol's
 * {@code TopicSpecs} fixes the rest): the same two flags everywhere, so whichever command creates a
 * topic first creates it the same way.
 */
final class TopicOptions {

  @Option(
      names = "--replication-factor",
      paramLabel = "R",
      description =
          "Replicas of each topic this command creates (default: the cluster's default.replication.factor;"
              + " with 3 or more, min.insync.replicas=2).")
  Short replicationFactor;

  @Option(
      names = "--topic-retention",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Delete sample, event and dead-letter records older than this from the topics this command"
              + " creates (e.g. 30d; default: keep them forever). Runs trained on deleted records cannot be replayed.")
  Duration retention;

  /** The settings, after a warning on {@code err} of what a finite retention costs. */
  TopicSettings settings(CommandSpec spec, PrintWriter err) {
    TopicSettings settings;
    try {
      settings =
          new TopicSettings(Optional.ofNullable(replicationFactor), Optional.ofNullable(retention));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (retention != null) {
      err.println(
          "memoscope: warning: --topic-retention "
              + DurationConverter.format(retention)
              + ": topics created"
              + " now delete records older than that; a run trained on deleted samples can no longer be replayed, and"
              + " its events leave the metrics service's history");
      err.flush();
    }
    return settings;
  }
}
