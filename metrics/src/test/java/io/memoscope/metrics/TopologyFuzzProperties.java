package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.serde.InvalidRecordException;
import io.memoscope.protocol.serde.MemoscopeSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Issue 14, item 7: random and mutated bytes into the metrics topology (events, run manifests and
 * data set descriptors, in Kafka Streams' TopologyTestDriver with the service's own config): no
 * record stops processing, and every event the protocol's deserializer refuses is counted once in
 * {@code memoscope_events_invalid_total}. Inputs are at most a few KB, so no try can run long.
 */
class TopologyFuzzProperties {

  static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  /** A topic the topology reads, its deserializer, and a valid value to mutate. */
  enum Input {
    EVENT(
        Topics.EVENTS,
        MemoscopeSerdes.trainingEvent().deserializer(),
        MemoscopeSerdes.trainingEvent()
            .serializer()
            .serialize(
                Topics.EVENTS,
                Events.event(
                    "fuzz-run",
                    3,
                    T0,
                    EventKind.STEP,
                    0,
                    30,
                    Map.of("loss_class", 1.5, "learning_rate", 0.01),
                    Events.head("penultimate", "0")))),
    MANIFEST(
        Topics.RUNS,
        MemoscopeSerdes.runManifest().deserializer(),
        MemoscopeSerdes.runManifest()
            .serializer()
            .serialize(Topics.RUNS, Events.manifest("fuzz-run", "fashion"))),
    DATASET(
        Topics.DATASETS,
        MemoscopeSerdes.datasetInfo().deserializer(),
        MemoscopeSerdes.datasetInfo()
            .serializer()
            .serialize(Topics.DATASETS, Events.dataset("fashion", 600, T0)));

    final String topic;
    final Deserializer<?> deserializer;
    final byte[] valid;

    Input(String topic, Deserializer<?> deserializer, byte[] valid) {
      this.topic = topic;
      this.deserializer = deserializer;
      this.valid = valid;
    }

    boolean invalid(byte[] bytes) {
      try {
        deserializer.deserialize(topic, bytes);
        return false;
      } catch (InvalidRecordException e) {
        return true;
      }
    }
  }

  Path stateDir;
  PrometheusMeterRegistry registry;
  LiveRuns live;
  TopologyTestDriver driver;
  long piped;

  @BeforeProperty
  void start() throws IOException {
    stateDir = Files.createTempDirectory("topology-fuzz");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    live = new LiveRuns(registry);
    driver = TopologyDrivers.start(live, stateDir, Duration.ofMinutes(10), T0);
  }

  @AfterProperty
  void stop() throws IOException {
    driver.close();
    registry.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 300, seed = "14")
  void randomBytesNeverStopTheTopologyAndInvalidOnesAreCounted(
      @ForAll Input input, @ForAll("smallBytes") byte[] bytes) {
    pipeAndCheck(input, bytes);
  }

  @Property(tries = 600, seed = "14")
  void mutatedRecordsNeverStopTheTopologyAndInvalidOnesAreCounted(
      @ForAll Input input,
      @ForAll("positions") int at,
      @ForAll("positions") int other,
      @ForAll byte value,
      @ForAll boolean truncate) {
    byte[] bytes = input.valid.clone();
    bytes[at % bytes.length] = value;
    bytes[other % bytes.length] ^= (byte) (1 << (other % 8));
    if (truncate) {
      bytes = Arrays.copyOf(bytes, other % bytes.length);
    }
    pipeAndCheck(input, bytes);
  }

  private void pipeAndCheck(Input input, byte[] bytes) {
    double invalidBefore = invalidCount();
    TestInputTopic<String, byte[]> topic =
        driver.createInputTopic(input.topic, new StringSerializer(), new ByteArraySerializer());
    topic.pipeInput(input == Input.DATASET ? "fashion" : "fuzz-run", bytes, T0.plusMillis(++piped));
    double counted = invalidCount() - invalidBefore;
    // The global tables (manifests, data sets) are read in TopologyTestDriver with its own
    // LogAndContinueExceptionHandler, not the configured InvalidRecords: there only "skipped,
    // processing goes on" can be checked; MetricsServiceTest counts them on a real broker.
    if (input == Input.EVENT && input.invalid(bytes)) {
      assertThat(counted).as("an invalid event is counted once").isEqualTo(1.0);
    }
    assertThat(registry.scrape()).as("/metrics still renders").contains("memoscope_");
  }

  private double invalidCount() {
    return registry.find("memoscope_events_invalid").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Provide
  Arbitrary<byte[]> smallBytes() {
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(1_024);
    // Half of them behind the single-object marker, so they get past the first check.
    Arbitrary<byte[]> marked =
        any.map(
            body -> {
              byte[] out = new byte[body.length + 2];
              out[0] = (byte) 0xC3;
              out[1] = 0x01;
              System.arraycopy(body, 0, out, 2, body.length);
              return out;
            });
    return Arbitraries.oneOf(any, marked);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }
}
