package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.Codecs;
import io.memoscope.protocol.serde.SerdeSettings;
import io.memoscope.protocol.serde.TrainingEventDeserializer;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.metrics.Evaluator;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeRun;
import io.memoscope.trainer.runtime.Nd4jRuntime;
import io.memoscope.trainer.train.DataShape;
import io.memoscope.trainer.train.ModelSpecs;
import io.memoscope.trainer.train.TrainingLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code memoscope probe}: a finished or interrupted run's checkpoint probed after the fact. The
 * run's manifest says which data, config and seed; the checkpoint gives the weights; the samples
 * are the ones the run evaluated on (the first {@code eval.subset} of its training range) and as
 * many of its test range. The report is published as PROBE events of the run, numbered after the
 * run's last event so the metrics service takes them.
 */
public final class RunProbe {

  /**
   * @param step the checkpoint's step; empty = the newest valid checkpoint
   * @param taps tap names or {@code all}; empty = the run's {@code probe.taps}
   * @param hiddenWidth the probe's hidden width (0 = linear); empty = the run's {@code
   *     probe.hidden-width}
   * @param publish whether to publish PROBE events
   */
  public record Request(
      String runId,
      Path runDirectory,
      OptionalLong step,
      List<String> taps,
      OptionalInt hiddenWidth,
      Duration timeout,
      boolean publish) {}

  /**
   * @param coTrained the co-trained heads' evaluation of the same checkpoint on the same samples
   * @param checkpoint the file probed
   */
  public record Outcome(
      String runId,
      String dataset,
      String checkpoint,
      ProbeReport report,
      List<HeadEvaluation> coTrained) {}

  private RunProbe() {}

  public static Outcome probe(Map<String, Object> clientConfig, Request request) {
    RunManifest manifest = manifest(request);
    TrainingConfig config = TrainingConfig.fromFlatMap(RunManifests.recordedConfig(manifest));
    CheckpointStore store = new CheckpointStore(request.runDirectory(), 1);
    CheckpointStore.Checkpoint checkpoint =
        request.step().isPresent()
            ? store.atStep(request.step().getAsLong())
            : store
                .newestValid()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "run "
                                + request.runId()
                                + " has no valid checkpoint in "
                                + request.runDirectory().resolve("checkpoints")));
    long step = checkpoint.position().step();
    String file = CheckpointStore.fileName(step);

    String dataset = manifest.getDataset();
    DatasetInfo info;
    try (Admin admin = Admin.create(clientConfig)) {
      info = DatasetInfos.latest(clientConfig, admin, dataset, request.timeout());
    }
    DataShape shape =
        new DataShape(
            new InputShape(info.getHeight(), info.getWidth(), info.getChannels()),
            info.getClassNames().size(),
            info.getRandomClasses(),
            info.getLabelings());
    ProbeRun probe = ProbeRun.of(config, shape.randomClasses());
    if (!request.taps().isEmpty()) {
      probe = probe.onTaps(request.taps());
    }
    if (request.hiddenWidth().isPresent()) {
      probe = probe.withHiddenWidth(request.hiddenWidth().getAsInt());
    }

    Nd4jRuntime.configure();
    MultiHeadModel model =
        MultiHeadModel.create(
            ModelSpecs.from(
                config,
                shape.input(),
                shape.numClasses(),
                shape.randomClasses(),
                shape.labelings(),
                Math.max(1, step)));
    model.restore(checkpoint.state());
    probe.resolve(model);

    BatchAssembler assembler = shape.assembler(config.dataType());
    SampleDecoder decoder = SampleDecoder.skippingInvalid(shape);
    Samples train =
        TrainingLoop.samples(
            assembler,
            decoder.decodeFirst(
                clientConfig,
                RunManifests.rangesOf(manifest, Topics.samples(dataset, Split.train)),
                config.eval().subset()));
    List<TopicRange> testRanges =
        RunManifests.rangesOf(manifest, Topics.samples(dataset, Split.test));
    var testViews = decoder.decodeFirst(clientConfig, testRanges, train.features().size(0));
    if (train.features().size(0) < 2 || testViews.size() < 2) {
      throw new IllegalStateException(
          "run "
              + request.runId()
              + ": the probe needs training and test samples, and "
              + dataset
              + " gave "
              + train.features().size(0)
              + " and "
              + testViews.size());
    }
    Samples test = TrainingLoop.samples(assembler, testViews);

    List<HeadEvaluation> coTrained = new Evaluator(256).evaluate(model, step, train, test).heads();
    ProbeReport report = probe.run(model, train, test, step, "checkpoint " + file);
    if (request.publish()) {
      try (EventPublisher events =
          new EventPublisher(
              clientConfig,
              request.runId(),
              lastSequence(clientConfig, request) + 1,
              checkpoint.position().epoch())) {
        events.onProbe(report);
      }
    }
    return new Outcome(request.runId(), dataset, file, report, coTrained);
  }

  private static RunManifest manifest(Request request) {
    Path file = request.runDirectory().resolve(StreamingRun.MANIFEST_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no run "
              + request.runId()
              + ": "
              + file
              + " does not exist (is --checkpoint-dir right?)");
    }
    try {
      return Codecs.runManifest(SerdeSettings.defaults()).decode(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "run " + request.runId() + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The highest sequence number of the run's events so far (-1 if none), read from the events
   * topic.
   */
  private static long lastSequence(Map<String, Object> clientConfig, Request request) {
    List<TopicRange> ranges;
    try (Admin admin = Admin.create(clientConfig)) {
      ranges = RunManifests.ranges(admin, Topics.EVENTS, request.timeout());
    } catch (IllegalStateException e) {
      return -1;
    }
    byte[] key = request.runId().getBytes(StandardCharsets.UTF_8);
    TrainingEventDeserializer deserializer = new TrainingEventDeserializer();
    long[] last = {-1};
    new RangeReader(clientConfig, ranges, Duration.ofMillis(200))
        .read(
            record -> {
              if (Arrays.equals(record.key(), key)) {
                TrainingEvent event = deserializer.deserialize(Topics.EVENTS, record.value());
                if (event != null) {
                  last[0] = Math.max(last[0], event.getSequence());
                }
              }
            },
            () -> false);
    return last[0];
  }
}
