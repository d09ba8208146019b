package io.memoscope.cli;

import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.ingest.IngestException;
import io.memoscope.metrics.MetricsService;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunSummary;
import io.memoscope.trainer.stream.StreamingRun;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo's parts, started in order (broker, data, metrics, Prometheus, then the run on a thread
 * of its own) and stopped in reverse by the Ctrl-C hook, which first waits for a start still in
 * progress to notice it is cancelled.
 */
final class DemoServices {

  private final EmbeddedKafka broker;
  private final DemoData data;
  private final long limit;
  private final RunOptions run;
  private final Path root;
  private final int metricsPort;
  private final int prometheusPort;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile boolean stopping;
  private MetricsService metrics;
  private Optional<DemoPrometheus> prometheus = Optional.empty();
  private Thread training;

  /**
   * @param prometheusPort Prometheus' web port, or -1 for no Prometheus
   */
  DemoServices(
      EmbeddedKafka broker,
      DemoData data,
      long limit,
      RunOptions run,
      Path root,
      int metricsPort,
      int prometheusPort,
      PrintWriter out,
      PrintWriter err) {
    this.broker = broker;
    this.data = data;
    this.limit = limit;
    this.run = run;
    this.root = root;
    this.metricsPort = metricsPort;
    this.prometheusPort = prometheusPort;
    this.out = out;
    this.err = err;
  }

  void start() {
    try {
      broker.start();
      out.printf("broker: ready at %s (data in %s)%n", broker.bootstrapServers(), broker.dataDir());
      out.flush();
      try {
        data.ingestUnlessPresent(
            DemoCommand.connection(broker).clientConfig(),
            limit,
            run.tuning().timeout(),
            () -> stopping,
            out);
      } catch (IngestException e) {
        if (stopping) {
          return;
        }
        throw e;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(
            "checking for the data set: " + OneLineErrors.describe(e), e);
      }
      if (stopping) {
        return;
      }
      metrics = new MetricsService(DemoCommand.metricsConfig(broker, root, metricsPort)).start();
      if (prometheusPort >= 0) {
        prometheus = DemoPrometheus.start(root, prometheusPort, portOf(metrics.url()), out);
      }
    } finally {
      started.countDown();
    }
  }

  /** Prints where everything is, then starts the run. */
  void announceAndTrain() {
    if (stopping) {
      return;
    }
    String bootstrap = broker.bootstrapServers();
    out.println();
    out.println("memoscope demo is running");
    out.printf("  bootstrap:  %s%n", bootstrap);
    out.printf("  data set:   %s (%s)%n", data.dataset(), data.description());
    out.printf("  live page:  %s/%n", metrics.url());
    out.printf("  metrics:    %s/metrics%n", metrics.url());
    out.printf("  runs:       %s/api/runs%n", metrics.url());
    prometheus.ifPresent(p -> out.printf("  prometheus: %s%n", p.url()));
    out.printf(
        "  run:        %s: %d epochs, random-label heads at %s, lambda %s%n",
        run.runId(),
        config().epochs(),
        String.join(", ", config().toFlatMap().get("heads.taps").split(",")),
        config().toFlatMap().get("heads.lambda"));
    out.println("Another run on the same broker, from a second terminal:");
    out.printf(
        "  ./memoscope train --dataset %s --bootstrap %s --epochs 5 --set heads.taps=all%n",
        data.dataset(), bootstrap);
    out.flush();
    training = new Thread(this::train, "memoscope-demo-training");
    training.start();
  }

  /** The demo's run is always a new one. */
  private TrainingConfig config() {
    return ((RunMode.Fresh) run.mode()).config();
  }

  private void train() {
    try {
      RunSummary summary =
          new StreamingRun(
                  DemoCommand.connection(broker).clientConfig(),
                  TopicSettings.DEFAULTS,
                  run,
                  new StoppableProgress(new ProgressLines(err, run.runId())))
              .run();
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "run %s finished: %d epochs, %d steps",
                  summary.runId(),
                  summary.epochs(),
                  summary.steps()));
      for (Map.Entry<String, Double> metric : summary.finalMetrics().entrySet()) {
        if (metric.getKey().startsWith("accuracy_test")
            || metric.getKey().startsWith("random_label_accuracy{")) {
          line.append(String.format(Locale.ROOT, ", %s %.3f", metric.getKey(), metric.getValue()));
        }
      }
      out.println(line);
      out.println("still serving " + metrics.url() + "/ ; Ctrl-C stops everything");
      out.flush();
    } catch (RuntimeException e) {
      if (!stopping) {
        err.println(
            "memoscope demo: run "
                + run.runId()
                + " failed: "
                + OneLineErrors.describe(e)
                + " (still serving; Ctrl-C stops everything)");
        err.flush();
      }
    }
  }

  /** Stops the run, then Prometheus, the metrics service and the broker. */
  void stop() {
    stopping = true;
    try {
      started.await(60, TimeUnit.SECONDS);
      if (training != null) {
        training.join(30_000);
        if (training.isAlive()) {
          training.interrupt();
          training.join(30_000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    prometheus.ifPresent(DemoPrometheus::stop);
    if (metrics != null) {
      metrics.close();
    }
    broker.close();
  }

  private static int portOf(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  /**
   * Progress lines, and the way to stop the run: once the demo is stopping, the next callback
   * throws.
   */
  private final class StoppableProgress implements TrainingListener {
    private final TrainingListener delegate;

    StoppableProgress(TrainingListener delegate) {
      this.delegate = delegate;
    }

    private void stopIfAsked() {
      if (stopping) {
        throw new IllegalStateException("stopped by Ctrl-C");
      }
    }

    @Override
    public void onStart(String backend, long totalSteps) {
      stopIfAsked();
      delegate.onStart(backend, totalSteps);
    }

    @Override
    public void onStep(StepMetrics metrics) {
      stopIfAsked();
      delegate.onStep(metrics);
    }

    @Override
    public void onUpdateRatios(long step, Map<String, Double> ratios) {
      stopIfAsked();
    }

    @Override
    public void onEvaluation(EvaluationMetrics metrics) {
      stopIfAsked();
      delegate.onEvaluation(metrics);
    }

    @Override
    public void onEpochEnd(int epoch, long step, EpochTally tally) {
      delegate.onEpochEnd(epoch, step, tally);
    }
  }
}
