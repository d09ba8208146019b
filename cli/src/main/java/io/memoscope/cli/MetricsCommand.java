package io.memoscope.cli;

import io.memoscope.metrics.HttpSecurity;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.metrics.MetricsService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code memoscope metrics}: the metrics service in the foreground until Ctrl-C. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve training events as Prometheus metrics until Ctrl-C: a Kafka Streams application over "
          + "memoscope.events, memoscope.evaluations, memoscope.runs, memoscope.datasets and the "
          + "*.dlq topics.",
      "",
      "Endpoints: / (the live page), /metrics, /api/runs, /api/runs/{id}, /api/runs/{id}/series, "
          + "/api/runs/{id}/openmetrics, /api/runs/{id}/samples (per-sample memorization), "
          + "/healthz, /readyz "
          + "(docs/metrics.md). Its state lives in Kafka: a restart, or a fresh instance with the same "
          + "--application-id, rebuilds it.",
    })
final class MetricsCommand implements Callable<Integer> {

  @ParentCommand Memoscope root;

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "" + MetricsConfig.DEFAULT_PORT,
      description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = MetricsConfig.DEFAULT_BIND,
      description =
          "Address the HTTP server listens on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--application-id",
      paramLabel = "ID",
      defaultValue = MetricsConfig.DEFAULT_APPLICATION_ID,
      description =
          "Kafka Streams application id: instances with the same id share their state (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = DataDirs.METRICS_DEFAULT,
      description =
          "Kafka Streams state directory; may be empty, the state is rebuilt from Kafka (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "How long a finished run stays on /metrics after it finished (default: ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(
      names = "--commit-interval",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "How often processing progress is committed (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--http-config",
      paramLabel = "FILE",
      description =
          "Properties file with the HTTP server's basic auth (basic-auth.username, basic-auth.password)"
              + " and TLS keystore (tls.keystore, tls.keystore-password, tls.keystore-type); also from"
              + " MEMOSCOPE_METRICS_USERNAME / _PASSWORD / _KEYSTORE / _KEYSTORE_PASSWORD.")
  Path httpConfig;

  @Option(
      names = "--insecure",
      description =
          "Serve a --bind beyond loopback without a password (refused otherwise): only behind"
              + " another guard, e.g. a container network.")
  boolean insecure;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topics;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    MetricsConfig config;
    try {
      config =
          new MetricsConfig(
              kafka.connection(root.sources()),
              applicationId,
              stateDir.toAbsolutePath().normalize(),
              bind,
              port,
              retention,
              commitInterval,
              Duration.ofSeconds(1),
              kafka.timeout.multipliedBy(2),
              threads,
              topics.settings(spec, spec.commandLine().getErr()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    HttpSecurity security;
    try {
      security = HttpSecurity.load(Optional.ofNullable(httpConfig), System.getenv());
      security.checkBind(bind, insecure);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    MetricsService service = new MetricsService(config).securedBy(security);
    // Closing the service on the way out leaves its consumer group, so a replacement takes over at
    // once.
    Foreground.serve(
        out,
        "metrics service",
        service::start,
        service::close,
        () -> {
          out.println(
              "memoscope metrics: serving training events from "
                  + config.kafka().bootstrapServers());
          out.printf("  page:    %s/%n", service.url());
          out.printf("  metrics: %s/metrics%n", service.url());
          out.printf("  runs:    %s/api/runs%n", service.url());
          out.printf("  ready:   %s/readyz%n", service.url());
        },
        service.failed());
    return 0;
  }
}
