package io.memoscope.metrics;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts the records of every {@code *.dlq} topic (memoscope_dead_letter_records_total{topic}). The
 * count per topic is kept in a changelogged store, so a restart continues it instead of starting
 * again from zero (the records are not read twice: their offsets are committed).
 */
final class DeadLetterProcessor implements Processor<byte[], byte[], Void, Void> {

  private final LiveRuns live;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, Long> counts;

  DeadLetterProcessor(LiveRuns live) {
    this.live = live;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.counts = context.getStateStore(MetricsTopology.DEAD_LETTER_STORE);
    try (KeyValueIterator<String, Long> all = counts.all()) {
      all.forEachRemaining(kv -> live.deadLetterRecords(kv.key, kv.value));
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("unknown");
    Long before = counts.get(topic);
    long after = (before == null ? 0 : before) + 1;
    counts.put(topic, after);
    live.deadLetterRecords(topic, after);
  }
}
