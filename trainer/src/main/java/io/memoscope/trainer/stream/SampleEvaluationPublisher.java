package io.memoscope.trainer.stream;

import io.memoscope.protocol.HeadId;
import io.memoscope.protocol.SampleBits;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.serde.SampleEvaluationSerializer;
import io.memoscope.trainer.heads.MultiHeadModel.Evaluation;
import io.memoscope.trainer.metrics.EvaluationMetrics;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.probe.ProbeReport;
import io.memoscope.trainer.probe.ProbeResult;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes which samples of the evaluation subset each evaluation predicts right, as one {@link
 * SampleEvaluation} per evaluation on {@code memoscope.evaluations}, keyed by run id, with the
 * probe's when one ran at the evaluation (so a record goes out when the evaluation is done): what
 * the metrics service turns into per-sample memorization timelines. Sent from a thread of its own,
 * as the events are, so a broker outage never holds up training.
 */
final class SampleEvaluationPublisher implements TrainingListener, AutoCloseable {

  private final BackgroundSender<String, SampleEvaluation> sender;
  private final String runId;
  private final List<SampleDecoder.Located> subset;
  // The subset's identity, the same in every record: listed once.
  private final List<Long> indices;
  private final List<Integer> partitions;
  private final List<Long> offsets;
  private final List<Integer> classes;
  private int epoch;
  private long lastEpochEndStep = -1;

  /** The evaluation heard and not yet sent, waiting for its probe; null when none. */
  private SampleEvaluation.Builder pending;

  /**
   * @param subset the evaluation subset's samples in subset order, with their records' positions
   * @param epoch the epoch the run starts in (a resumed run's checkpoint's)
   */
  SampleEvaluationPublisher(
      RunParts parts,
      Map<String, Object> clientConfig,
      String runId,
      List<SampleDecoder.Located> subset,
      int epoch,
      BackgroundFailures failures) {
    this.sender =
        new BackgroundSender<>(
            parts.producer(
                OutageProofProducers.config(clientConfig),
                new StringSerializer(),
                new SampleEvaluationSerializer()),
            10_000,
            "memoscope-evaluations-" + runId,
            failures);
    this.runId = runId;
    this.subset = List.copyOf(subset);
    this.indices = subset.stream().map(s -> s.view().index()).toList();
    this.partitions = subset.stream().map(SampleDecoder.Located::partition).toList();
    this.offsets = subset.stream().map(SampleDecoder.Located::offset).toList();
    this.classes = subset.stream().map(s -> s.view().label()).toList();
    this.epoch = epoch;
  }

  @Override
  public synchronized void onEvaluation(EvaluationMetrics metrics) {
    Evaluation hits = metrics.trainHits();
    pending = null;
    if (hits.seen() != subset.size()) {
      return; // counts only (no per-sample hits): nothing to say per sample
    }
    List<HeadHits> heads = new ArrayList<>();
    for (int i = 0; i < metrics.heads().size(); i++) {
      HeadEvaluation head = metrics.heads().get(i);
      int labeling = HeadId.parse(head.head()).labeling();
      heads.add(
          new HeadHits(head.head(), randomLabels(labeling), SampleBits.of(hits.headHits().get(i))));
    }
    pending =
        SampleEvaluation.newBuilder()
            .setRunId(runId)
            .setStep(metrics.step())
            .setEpoch(metrics.step() == lastEpochEndStep ? epoch - 1 : epoch)
            .setTimestamp(Instant.now())
            .setIndices(indices)
            .setPartitions(partitions)
            .setOffsets(offsets)
            .setClasses(classes)
            .setClassCorrect(SampleBits.of(hits.classHits()))
            .setHeads(heads);
  }

  /** The probe of the pending evaluation: its train fits' hits, over the first samples it used. */
  @Override
  public synchronized void onProbe(ProbeReport report) {
    if (pending == null
        || pending.getStep() != report.step()
        || report.results().isEmpty()
        || report.samples() > subset.size()
        || report.results().stream().anyMatch(r -> r.trainHits().size() != report.samples())) {
      return;
    }
    List<HeadHits> probes = new ArrayList<>();
    for (ProbeResult result : report.results()) {
      boolean[] bits = new boolean[subset.size()];
      for (int i = 0; i < report.samples(); i++) {
        bits[i] = result.trainHits().get(i);
      }
      probes.add(new HeadHits(result.head(), randomLabels(result.labeling()), SampleBits.of(bits)));
    }
    pending.setProbeSamples(report.samples()).setProbes(probes);
  }

  @Override
  public synchronized void onEvaluationDone(long step) {
    if (pending != null && pending.getStep() == step) {
      sender.send(new ProducerRecord<>(Topics.EVALUATIONS, runId, pending.build()));
    }
    pending = null;
  }

  private List<Integer> randomLabels(int labeling) {
    return subset.stream().map(s -> s.view().randomLabels()[labeling]).toList();
  }

  @Override
  public synchronized void onEpochEnd(int finished, long step, EpochTally tally) {
    // An evaluation at an epoch's end comes after this call and belongs to the epoch that ended.
    lastEpochEndStep = step;
    epoch = finished + 1;
  }

  @Override
  public void close() {
    sender.close();
  }

  /** Closes, giving up on unsent records after {@code wait} (a failed run). */
  void closeWithin(Duration wait) {
    sender.closeWithin(wait);
  }
}
