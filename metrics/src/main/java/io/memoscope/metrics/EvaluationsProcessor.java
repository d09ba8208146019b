package io.memoscope.metrics;

import io.memoscope.protocol.avro.SampleEvaluation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each run's sample evaluations ({@code memoscope.evaluations}) in the state stores of {@link
 * SampleStore} and shows the aggregates of the latest one on {@code /metrics} ({@link
 * SampleSeries}).
 *
 * <p>The first evaluation of a run fixes its subset (a later one adds the probes it is the first to
 * have); one that scores other samples or other heads is skipped and counted in {@code
 * memoscope_events_invalid_total{reason="}{@value #INCONSISTENT_SUBSET}{@code "}}. Each evaluation
 * is stored under its step, so the latest record of a step replaces the earlier one (a resumed run,
 * or records processed again after a crash of the service, see {@link SampleTimelines}). Nothing
 * else is kept per evaluation: onsets and forgetting events are derived from the stored bits when
 * asked for, so a replaced step can never leave a count behind.
 */
final class EvaluationsProcessor implements Processor<String, SampleEvaluation, Void, Void> {

  /** Reason of an evaluation whose samples or heads are not its run's. */
  static final String INCONSISTENT_SUBSET = "inconsistent_subset";

  private static final Logger log = LoggerFactory.getLogger(EvaluationsProcessor.class);

  private final LiveRuns live;

  /** The highest evaluated step of each run this task holds. */
  private final Map<String, Long> latestSteps = new HashMap<>();

  private KeyValueStore<String, SampleEvaluation> subsets;
  private KeyValueStore<String, SampleHits> hits;

  EvaluationsProcessor(LiveRuns live) {
    this.live = live;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    subsets = context.getStateStore(MetricsTopology.SAMPLE_SUBSETS_STORE);
    hits = context.getStateStore(MetricsTopology.SAMPLE_HITS_STORE);
    // Called after the stores were restored from their changelogs: show what they hold.
    try (KeyValueIterator<String, SampleEvaluation> all = subsets.all()) {
      all.forEachRemaining(
          kv ->
              SampleStore.latest(kv.key, hits)
                  .ifPresent(latest -> show(kv.key, SampleSubset.of(kv.value), latest)));
    }
    log.info(
        "{} task {}: sample evaluations of {} run(s) loaded from the state stores",
        context.applicationId(),
        context.taskId(),
        latestSteps.size());
  }

  @Override
  public void process(Record<String, SampleEvaluation> record) {
    SampleEvaluation evaluation = record.value();
    if (evaluation == null) {
      return;
    }
    String run = evaluation.getRunId();
    SampleEvaluation first = subsets.get(run);
    SampleSubset subset = SampleSubset.of(first == null ? evaluation : first);
    Optional<String> mismatch = subset.mismatch(evaluation);
    if (mismatch.isPresent()) {
      live.countInvalid(INCONSISTENT_SUBSET);
      log.warn(
          "Skipping the sample evaluation of run {} at step {}: {}",
          run,
          evaluation.getStep(),
          mismatch.get());
      return;
    }
    // The first record fixes the subset; a later one may bring probes it has not had yet.
    SampleEvaluation learnt =
        first == null ? evaluation : SampleSubset.learnProbes(first, evaluation);
    if (learnt != first) {
      subsets.put(run, learnt);
      subset = SampleSubset.of(learnt);
    }
    SampleHits evaluated = SampleHits.of(evaluation);
    hits.put(SampleStore.hitsKey(run, evaluated.step()), evaluated);
    // An earlier step evaluated again (a resume) leaves the latest evaluation, and the aggregates
    // of /metrics, as they are.
    if (evaluated.step() >= latestSteps.getOrDefault(run, Long.MIN_VALUE)) {
      show(run, subset, evaluated);
    }
  }

  private void show(String run, SampleSubset subset, SampleHits latest) {
    latestSteps.put(run, latest.step());
    live.applySamples(run, SampleSeries.of(new SampleTimelines(subset, List.of(latest)).summary()));
  }

  @Override
  public void close() {
    // The task is closed or moved to another instance: its runs are no longer this instance's to
    // show.
    latestSteps.keySet().forEach(live::removeSamples);
    latestSteps.clear();
  }
}
