package io.memoscope.trainer.stream;

import static io.memoscope.trainer.stream.TinyStreamedDataset.config;
import static io.memoscope.trainer.stream.TinyStreamedDataset.events;
import static io.memoscope.trainer.stream.TinyStreamedDataset.finished;
import static io.memoscope.trainer.stream.TinyStreamedDataset.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.EventMetricNames;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.train.DivergedException;
import io.memoscope.trainer.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose learning rate diverges within a few steps, on a real broker: it publishes a
 * DIVERGED event naming the step and the term, then RUN_FINISHED with outcome diverged, and fails;
 * with on-divergence continue it trains to the end and says so once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DivergedRunTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir
  static Path runs;

  private static final String DATASET = "diverging";
  private static final String[] TOO_FAST = {"optimizer.learning-rate", "1e12", "optimizer.momentum", "0"};

  @BeforeAll
  static void ingest() throws Exception {
    TinyStreamedDataset.ingest(client(), DATASET);
  }

  @Test
  void aDivergedRunPublishesWhereAndWhatThenFinishesDiverged() {
    assertThatThrownBy(() -> run("exploding", "stop"))
        .isInstanceOf(DivergedException.class)
        .hasMessageStartingWith("diverged at step ");

    List<TrainingEvent> diverged = events(client(), "exploding").stream()
        .filter(e -> e.getKind() == EventKind.DIVERGED).toList();
    assertThat(diverged).singleElement().satisfies(event -> {
      assertThat(event.getLabels()).containsKey(EventMetricNames.TERM);
      assertThat(event.getStep()).isBetween(1L, 4L);
      assertThat(event.getMessage()).startsWith("step " + event.getStep() + ": ");
    });
    TrainingEvent last = finished(client(), "exploding");
    assertThat(last.getLabels()).containsEntry(EventMetricNames.OUTCOME, EventMetricNames.OUTCOME_DIVERGED);
    assertThat(last.getMessage()).startsWith("diverged at step " + diverged.get(0).getStep() + ": ");
  }

  @Test
  void withContinueItTrainsToTheEndAndSaysSoOnce() {
    RunSummary summary = run("exploding-on", "continue");

    assertThat(summary.steps()).isEqualTo(8);
    assertThat(events(client(), "exploding-on")).filteredOn(e -> e.getKind() == EventKind.DIVERGED).hasSize(1);
    assertThat(finished(client(), "exploding-on").getLabels())
        .containsEntry(EventMetricNames.OUTCOME, EventMetricNames.OUTCOME_SUCCEEDED);
  }

  private static RunSummary run(String runId, String onDivergence) {
    String[] settings = {TOO_FAST[0], TOO_FAST[1], TOO_FAST[2], TOO_FAST[3], "on-divergence", onDivergence};
    return new StreamingRun(client(), TopicSettings.DEFAULTS, options(runId, DATASET, config(2, settings), runs, false),
        TrainingListener.NONE).run();
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }
}
