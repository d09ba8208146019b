package io.memoscope.metrics;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's Kafka Streams topology, kept apart from the process around it so that {@code
 * TopologyTestDriver} tests it as it runs.
 *
 * <ul>
 *   <li>{@code memoscope.events} → {@link EventsProcessor} with two stores: {@code run-meta} (per
 *       run: highest applied sequence, manifest summary, finished) and {@code run-values} (per run
 *       and series: the latest gauge value or counter total).
 *   <li>{@code memoscope.runs} and {@code memoscope.datasets} → global tables (every instance holds
 *       all manifests and data sets; they are small and compacted), read by the events processor
 *       and before each scrape.
 *   <li>every topic matching {@code .*\.dlq} → {@link DeadLetterProcessor}, a count per topic.
 *   <li>{@code memoscope.evaluations} → {@link EvaluationsProcessor} with two stores ({@link
 *       SampleStore}): {@code sample-subsets} (per run: its first evaluation, which fixes the
 *       subset) and {@code sample-hits} (per run and step: which samples each head predicted).
 * </ul>
 *
 * <p><b>How the state survives a restart.</b> The stores are in-memory stores with changelog topics
 * (Kafka Streams' default logging), not RocksDB: the state is small (a few hundred numbers per run)
 * and needs no native library. A restarted instance, or a fresh one with an empty state directory,
 * restores them from their changelogs before processing anything, then continues from the committed
 * offsets; {@link EventsProcessor#init} puts the restored runs back on {@code /metrics}. The
 * changelogs are compacted, so restoring costs the size of the state, not of the event history. The
 * global tables restore from their own (compacted) topics.
 */
public final class MetricsTopology {

  public static final String RUN_META_STORE = "run-meta";
  public static final String RUN_VALUES_STORE = "run-values";
  public static final String DEAD_LETTER_STORE = "dead-letter-counts";
  public static final String RUNS_STORE = "runs";
  public static final String DATASETS_STORE = "datasets";
  public static final String SAMPLE_SUBSETS_STORE = "sample-subsets";
  public static final String SAMPLE_HITS_STORE = "sample-hits";

  /** Every dead-letter topic, present and future ({@code <topic>.dlq}). */
  public static final Pattern DEAD_LETTER_TOPICS =
      Pattern.compile(".+" + Pattern.quote(Topics.DEAD_LETTER_SUFFIX));

  private MetricsTopology() {}

  /**
   * @param retention how long a finished run stays on {@code /metrics}, from its RUN_FINISHED event
   * @param maintenanceInterval how often (wall clock) expiry and late manifests are checked
   */
  public static Topology build(LiveRuns live, Duration retention, Duration maintenanceInterval) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.globalTable(
        Topics.RUNS,
        Consumed.with(MemoscopeSerdes.nameKey(), MemoscopeSerdes.runManifest())
            .withName("runs-source"),
        Materialized.as(RUNS_STORE));
    builder.globalTable(
        Topics.DATASETS,
        Consumed.with(MemoscopeSerdes.nameKey(), MemoscopeSerdes.datasetInfo())
            .withName("datasets-source"),
        Materialized.as(DATASETS_STORE));

    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(RUN_META_STORE),
                Serdes.String(),
                new JsonSerde<>(RunMeta.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(RUN_VALUES_STORE), Serdes.String(), Serdes.Double())
            .withCachingEnabled());
    builder.stream(
            Topics.EVENTS,
            Consumed.with(MemoscopeSerdes.nameKey(), MemoscopeSerdes.trainingEvent())
                .withName("events-source"))
        .process(
            () -> new EventsProcessor(live, retention, maintenanceInterval),
            org.apache.kafka.streams.kstream.Named.as("apply-events"),
            RUN_META_STORE,
            RUN_VALUES_STORE);

    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(DEAD_LETTER_STORE), Serdes.String(), Serdes.Long()));
    builder.stream(
            DEAD_LETTER_TOPICS,
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter-source"))
        .process(
            () -> new DeadLetterProcessor(live),
            org.apache.kafka.streams.kstream.Named.as("count-dead-letters"),
            DEAD_LETTER_STORE);

    // No caching: each value is written once (a step again only on a resume), so a cache would
    // save no changelog write and only hold the bits twice.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(SAMPLE_SUBSETS_STORE),
            Serdes.String(),
            SampleStore.evaluationSerde()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(SAMPLE_HITS_STORE),
            Serdes.String(),
            new SampleHitsSerde()));
    builder.stream(
            Topics.EVALUATIONS,
            Consumed.with(MemoscopeSerdes.nameKey(), SampleStore.evaluationSerde())
                .withName("evaluations-source"))
        .process(
            () -> new EvaluationsProcessor(live),
            org.apache.kafka.streams.kstream.Named.as("apply-evaluations"),
            SAMPLE_SUBSETS_STORE,
            SAMPLE_HITS_STORE);
    return builder.build();
  }
}
