package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins what {@link LiveRuns} puts on {@code /metrics}: the exposition of a representative state
 * (runs with counters, estimates and their bounds, head/tap/labeling labels, a data set that
 * arrives after the first values, a removed run, the data set counts and the service's own
 * counters) must equal {@code live-runs-exposition.txt}, line for line modulo order.
 *
 * <p>The file was captured from the implementation before issue 15 (one Micrometer gauge or
 * function counter per series), so it is the contract {@link LiveRunsCollector} keeps; its HELP
 * lines may only have gained a text where Micrometer wrote a blank one. After a deliberate change
 * of the exposition, the actual text is in {@code target/live-runs-exposition.actual.txt} to review
 * and copy over. The other tests: scrapes beside writes, a value the client would refuse, HELP
 * texts.
 */
class LiveRunsExpositionTest {

  static final String EXPECTED = "live-runs-exposition.txt";
  static final String HELP = "# HELP ";
  static final Map<String, String> HEAD =
      Map.of("head", "penultimate/0", "tap", "penultimate", "labeling", "0");

  /** Layers of the update ratios each concurrent write sets, all to the same value. */
  static final int LAYERS = 10;

  static final int RUNS = 4;

  PrometheusMeterRegistry registry;
  LiveRuns live;

  @BeforeEach
  void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    live = new LiveRuns(registry);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void theExpositionOfARepresentativeStateIsTheCapturedOne() throws IOException {
    buildState();
    String actual = registry.scrape();
    Path copy = Path.of("target", "live-runs-exposition.actual.txt");
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, actual);

    String expected = expected();
    assertThat(samplesAndTypes(actual))
        .containsExactlyInAnyOrderElementsOf(samplesAndTypes(expected));
    // HELP: the same families; a text the capture had is kept, a blank one (Micrometer's for a
    // meter without description) may have become a real one
    Map<String, String> help = help(actual);
    assertThat(help.keySet()).containsExactlyInAnyOrderElementsOf(help(expected).keySet());
    help(expected)
        .forEach(
            (name, text) -> {
              if (!text.isBlank()) {
                assertThat(help.get(name)).as("HELP of " + name).isEqualTo(text);
              }
            });
  }

  @Test
  void everySampleOfARemovedOrRelabelledRunIsGone() {
    buildState();
    String scrape = registry.scrape();
    assertThat(scrape)
        .doesNotContain("run=\"r3\"")
        .doesNotContain("dataset=\"mnist\"")
        .doesNotContain("_bounds")
        .doesNotContain("bound=");
    // r1's series moved from the empty data set to its manifest's one; none is left behind
    assertThat(PrometheusText.find(scrape, "memoscope_step", Map.of("run", "r1")))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("dataset", "fashion"));
    assertThat(PrometheusText.parse(scrape))
        .filteredOn(s -> "r1".equals(s.labels().get("run")))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("dataset", "fashion"));

    live.remove("r1");
    live.remove("r2");
    live.syncDatasets(Map.of());
    String empty = registry.scrape();
    assertThat(empty)
        .doesNotContain("run=")
        .doesNotContain("memoscope_ingest_records{")
        .contains("memoscope_events_total{kind=\"STEP\"} 2.0");
  }

  /**
   * One thread keeps relabelling, loading, updating and removing runs, each write setting all of a
   * run's update ratios to one value; every scrape meanwhile must show each run whole: all its
   * series, under one data set label, with the values of one write.
   */
  @Test
  void aScrapeDuringWritesSeesEachRunAsOneWriteLeftIt() throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<Integer> writer =
        CompletableFuture.supplyAsync(
            () -> {
              int i = 0;
              for (; writing.get(); i++) {
                String run = "r" + (i % RUNS);
                RunMeta meta =
                    new RunMeta(run, i % 2 == 0 ? "even" : "odd", Map.of(), i, i, false, 0, false);
                Map<Series, Double> values = new HashMap<>();
                for (int layer = 0; layer < LAYERS; layer++) {
                  values.put(
                      Series.of(Family.UPDATE_RATIO, Map.of("layer", "l" + layer)), (double) i);
                }
                switch (i % 7) {
                  case 0 -> live.remove(run);
                  case 1 -> live.load(meta, values);
                  default -> live.apply(meta, values);
                }
              }
              return i;
            });
    int scrapes = 0;
    Set<String> seen = new HashSet<>();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    try {
      while (System.nanoTime() < until || scrapes < 50) {
        List<PrometheusText.Sample> samples = PrometheusText.parse(registry.scrape());
        Map<String, List<PrometheusText.Sample>> byRun =
            samples.stream()
                .filter(s -> s.labels().containsKey("run"))
                .collect(Collectors.groupingBy(s -> s.labels().get("run")));
        byRun.forEach(
            (run, series) -> {
              // 8 series every run has, 10 update ratios, run_info
              assertThat(series).as(run).hasSize(8 + LAYERS + 1);
              assertThat(series.stream().map(s -> s.labels().get("dataset")).distinct())
                  .as(run)
                  .hasSize(1);
              assertThat(
                      series.stream()
                          .filter(s -> s.name().equals("memoscope_update_ratio"))
                          .map(s -> s.value())
                          .distinct())
                  .as(run)
                  .hasSize(1);
            });
        seen.addAll(byRun.keySet());
        scrapes++;
      }
    } finally {
      writing.set(false);
    }
    assertThat(writer.get(30, TimeUnit.SECONDS)).isGreaterThan(RUNS * 7);
    assertThat(seen).isNotEmpty();
  }

  @Test
  void aNegativeCounterIsLeftOutInsteadOfFailingTheScrape() {
    live.apply(
        new RunMeta("r1", "d", Map.of(), 0, 0, false, 0, false),
        Map.of(Series.of(Family.CHECKPOINTS), -1.0, Series.of(Family.STEP), 3.0));
    String scrape = registry.scrape();
    assertThat(PrometheusText.value(scrape, "memoscope_checkpoints_total", Map.of("run", "r1")))
        .isEmpty();
    assertThat(PrometheusText.value(scrape, "memoscope_step", Map.of("run", "r1"))).contains(3.0);
    assertThat(PrometheusText.value(scrape, "memoscope_resumes_total", Map.of("run", "r1")))
        .contains(0.0);
  }

  @Test
  void everyExportedFamilyHasAHelpText() {
    Map<Series, Double> values = new HashMap<>();
    Stream.of(Family.values()).forEach(f -> values.put(Series.of(f, Map.of()), 1.0));
    live.apply(new RunMeta("r1", "d", Map.of(), 0, 0, false, 0, false), values);
    String scrape = registry.scrape();
    for (Family family : Family.values()) {
      if (family.exported()) {
        assertThat(scrape).contains("# HELP " + family.sampleName() + " " + family.help() + "\n");
      }
    }
    assertThat(scrape)
        .contains("# HELP memoscope_run_info 1 per live run")
        .doesNotContain("_bounds");
  }

  /**
   * Two runs left, one removed; r1 first without a data set, then with its manifest's; estimates
   * with bounds (one with NaN bounds: its last event had no interval); a label value that needs
   * escaping; two data sets synced, then one of them gone.
   */
  void buildState() {
    RunMeta r1 = RunMeta.first("r1").applied(0, 1_000, false);
    live.apply(
        r1,
        Map.of(
            Series.of(Family.STEP),
            10.0,
            Series.of(Family.LOSS, Map.of("term", "class")),
            2.0,
            Series.of(Family.RANDOM_LABEL_CHANCE),
            0.1));

    Map<String, String> config = new LinkedHashMap<>();
    config.put("model", "small-cnn");
    config.put("seed", "42");
    config.put(RunMeta.CODE_VERSION_LABEL, "abc123");
    RunMeta r1WithManifest = new RunMeta("r1", "fashion", config, 5, 2_000, false, 0, false);
    Map<Series, Double> values = new HashMap<>();
    values.put(Series.of(Family.STEP), 20.0);
    values.put(Series.of(Family.LOSS, with(HEAD, "term", "random")), 2.3);
    Series accuracy =
        Series.of(Family.RANDOM_LABEL_ACCURACY, with(HEAD, "mode", "evaluated", "split", "train"));
    values.put(accuracy, 0.2);
    values.put(accuracy.bound(Family.LOW).orElseThrow(), 0.18);
    values.put(accuracy.bound(Family.HIGH).orElseThrow(), 0.22);
    Series index = Series.of(Family.MEMORIZATION_INDEX, HEAD);
    values.put(index, 0.11);
    values.put(index.bound(Family.LOW).orElseThrow(), Double.NaN);
    values.put(index.bound(Family.HIGH).orElseThrow(), Double.NaN);
    values.put(Series.of(Family.PROBE_RANDOM_LABEL_ACCURACY, with(HEAD, "split", "test")), 0.12);
    values.put(Series.of(Family.UPDATE_RATIO, Map.of("layer", "conv\"1\\a")), 0.001);
    values.put(Series.of(Family.CHECKPOINTS), 2.0);
    values.put(Series.of(Family.RUN_DEAD_LETTERS), 3.0);
    live.apply(r1WithManifest, values);

    RunMeta r2 =
        new RunMeta("r2", "cifar", Map.of("model", "resnet"), 9, 3_000, true, 3_000, false);
    live.load(
        r2,
        Map.of(
            Series.of(Family.ACCURACY, Map.of("split", "test", "mode", "evaluated")),
            0.7,
            Series.of(Family.RUN_FINISHED),
            1.0,
            Series.of(Family.PUBLISH_FAILURES),
            5.0,
            Series.of(Family.RESUMES),
            1.0));

    live.apply(
        new RunMeta("r3", "fashion", Map.of(), 1, 1_000, false, 0, false),
        Map.of(Series.of(Family.EPOCH), 1.0));
    live.remove("r3");
    live.load(new RunMeta("r4", "fashion", Map.of(), 1, 1_000, true, 1_000, true), Map.of());

    live.syncDatasets(
        Map.of(
            "fashion",
            Events.dataset("fashion", 60_000, java.time.Instant.EPOCH),
            "mnist",
            Events.dataset("mnist", 500, java.time.Instant.EPOCH)));
    live.syncDatasets(
        Map.of("fashion", Events.dataset("fashion", 60_000, java.time.Instant.EPOCH)));

    live.countEvent("STEP");
    live.countEvent("STEP");
    live.countEvent("EVAL");
    live.countDuplicate();
    live.countInvalid("corrupt");
    live.deadLetterRecords("samples.fashion.train.dlq", 4);
  }

  /** Every line but the HELP ones, sorted. */
  static Set<String> samplesAndTypes(String text) {
    return new TreeSet<>(text.lines().filter(l -> !l.isBlank() && !l.startsWith(HELP)).toList());
  }

  /** Family name to HELP text. */
  static Map<String, String> help(String text) {
    Map<String, String> help = new TreeMap<>();
    text.lines()
        .filter(l -> l.startsWith(HELP))
        .map(l -> l.substring(HELP.length()))
        .forEach(l -> help.put(l.split(" ", 2)[0], l.contains(" ") ? l.split(" ", 2)[1] : ""));
    return help;
  }

  static String expected() throws IOException {
    try (InputStream in = LiveRunsExpositionTest.class.getResourceAsStream(EXPECTED)) {
      assertThat(in).as(EXPECTED).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Map<String, String> with(Map<String, String> base, String... keyValues) {
    Map<String, String> merged = new HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      merged.put(keyValues[i], keyValues[i + 1]);
    }
    return merged;
  }
}
