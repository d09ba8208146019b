package io.memoscope.metrics;

import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.serde.SampleEvaluationDeserializer;
import io.memoscope.protocol.serde.SampleEvaluationSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Where the service keeps each run's sample evaluations, and how they are read back, by {@link
 * EvaluationsProcessor} and by the HTTP API alike.
 *
 * <ul>
 *   <li>{@value MetricsTopology#SAMPLE_SUBSETS_STORE}: key run id, value the run's first {@link
 *       SampleEvaluation} as it came (Avro), which fixes the subset ({@link SampleSubset}), with
 *       the probes of later records that it did not have added ({@link SampleSubset#learnProbes}):
 *       the size of one record of the run.
 *   <li>{@value MetricsTopology#SAMPLE_HITS_STORE}: key {@code run NUL step} (the step as 19
 *       digits, so that keys sort by step and one run's keys form one range), value that step's
 *       {@link SampleHits}: the latest record of the step replaces an earlier one by its key.
 * </ul>
 */
final class SampleStore {

  private static final char SEPARATOR = '\u0000';

  private SampleStore() {}

  /**
   * The protocol's serde of {@code memoscope.evaluations}, also that of {@value
   * MetricsTopology#SAMPLE_SUBSETS_STORE}'s values.
   */
  static Serde<SampleEvaluation> evaluationSerde() {
    return Serdes.serdeFrom(new SampleEvaluationSerializer(), new SampleEvaluationDeserializer());
  }

  static String hitsKey(String run, long step) {
    return run + SEPARATOR + String.format("%019d", step);
  }

  /** The run's timelines: its subset and every evaluated step; empty if it has no evaluation. */
  static Optional<SampleTimelines> read(
      String run,
      ReadOnlyKeyValueStore<String, SampleEvaluation> subsets,
      ReadOnlyKeyValueStore<String, SampleHits> hits) {
    SampleEvaluation first = subsets.get(run);
    if (first == null) {
      return Optional.empty();
    }
    List<SampleHits> evaluations = new ArrayList<>();
    try (KeyValueIterator<String, SampleHits> all = hits.range(from(run), to(run))) {
      all.forEachRemaining(kv -> evaluations.add(kv.value));
    }
    if (evaluations.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SampleTimelines(SampleSubset.of(first), evaluations));
  }

  /** The run's subset alone, without its evaluations; empty if it has no evaluation. */
  static Optional<SampleSubset> subset(
      String run, ReadOnlyKeyValueStore<String, SampleEvaluation> subsets) {
    return Optional.ofNullable(subsets.get(run)).map(SampleSubset::of);
  }

  /** The run's evaluation of the highest step, if it has any. */
  static Optional<SampleHits> latest(String run, ReadOnlyKeyValueStore<String, SampleHits> hits) {
    try (KeyValueIterator<String, SampleHits> newestFirst = hits.reverseRange(from(run), to(run))) {
      return newestFirst.hasNext() ? Optional.of(newestFirst.next().value) : Optional.empty();
    }
  }

  // Both ends are inclusive; no key of this run sorts after run + 1, nor any other run's between.
  private static String from(String run) {
    return run + SEPARATOR;
  }

  private static String to(String run) {
    return run + (char) (SEPARATOR + 1);
  }
}
