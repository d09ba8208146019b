package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.metrics.SampleEvaluations;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code memoscope samples} on a real broker: the CSV of a run's evaluations, and its refusals. */
class SamplesCommandTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  static final String HEAD = "penultimate/0";
  static final String OTHER = "logits/1";
  static final SampleEvaluations RUN =
      new SampleEvaluations("csv-run", "digits", 5, List.of(HEAD, OTHER));
  static final SampleEvaluations PROBED =
      new SampleEvaluations("probed-run", "digits", 5, List.of(HEAD, OTHER));

  @TempDir Path dir;

  @BeforeAll
  static void produce() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicAdmin.ensure(
          admin,
          TopicSpecs.evaluations(),
          io.memoscope.protocol.kafka.TopicSettings.DEFAULTS,
          Duration.ofSeconds(30));
    }
    // The hand-worked evaluations of SampleTimelinesTest; step 200 first evaluated otherwise, as
    // by the interrupted process of a resumed run; and another run's record in between.
    SampleEvaluations.produce(
        kafka.bootstrapServers(),
        List.of(
            RUN.at(100, "11001", "10110", "00000"),
            RUN.at(200, "11111", "11111", "11111"),
            new SampleEvaluations("other-run", "digits", 2, List.of(HEAD)).at(100, "11", "11"),
            RUN.at(200, "01100", "10110", "00000"),
            RUN.at(300, "11000", "00110", "00000"),
            RUN.at(400, "01000", "10110", "11111"),
            RUN.at(500, "11100", "11010", "11111")));
    // SampleTimelinesTest's probe case: a probe at 200, 400 and 500 only.
    SampleEvaluations.produce(
        kafka.bootstrapServers(),
        List.of(
            PROBED.at(100, "11001", "10110", "00000"),
            PROBED.probed(PROBED.at(200, "01100", "10110", "00000"), HEAD, "11100"),
            PROBED.at(300, "11000", "00110", "00000"),
            PROBED.probed(PROBED.at(400, "01000", "10110", "11111"), HEAD, "01110"),
            PROBED.probed(PROBED.at(500, "11100", "11010", "11111"), HEAD, "11010")));
  }

  CliRun samples(String... args) {
    return CliRun.against(kafka.bootstrapServers(), "samples", args);
  }

  @Test
  void writesOneRowPerSampleAndHead() throws IOException {
    Path csv = dir.resolve("samples.csv");
    CliRun run = samples("csv-run", "--csv", csv.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("10 rows (5 samples × 2 head(s), 5 evaluations up to step 500)");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(1 + 10);
    assertThat(lines.get(0))
        .isEqualTo(
            "run,head,index,class,random_label,onset_step,forgetting_events,class_right,memorized");
    // subset indices 10, 12, …; onsets 400, 500, none, 100, none; forgetting 2, 0, 1, 0, 1
    assertThat(lines.subList(1, 6))
        .containsExactly(
            row(HEAD, 0, "400", 2, true, true),
            row(HEAD, 1, "500", 0, true, true),
            row(HEAD, 2, "", 1, true, false),
            row(HEAD, 3, "100", 0, false, true),
            row(HEAD, 4, "", 1, false, false));
    assertThat(lines.get(6)).isEqualTo(row(OTHER, 0, "400", 2, true, true));
  }

  @Test
  void headChoosesOneHead() throws IOException {
    Path csv = dir.resolve("one-head.csv");
    CliRun run = samples("csv-run", "--head", OTHER, "--csv", csv.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(1 + 5);
    assertThat(lines.subList(1, 6))
        .allSatisfy(line -> assertThat(line).contains("," + OTHER + ","));
  }

  @Test
  void headChoosesAProbeOverTheEvaluationsItRanAt() throws IOException {
    Path csv = dir.resolve("probe.csv");
    CliRun run = samples("probed-run", "--head", "probe:" + HEAD, "--csv", csv.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String[]> rows =
        Files.readAllLines(csv).stream().skip(1).map(line -> line.split(",", -1)).toList();
    assertThat(rows).hasSize(5).allSatisfy(row -> assertThat(row[1]).isEqualTo("probe:" + HEAD));
    assertThat(rows).extracting(row -> row[4]).containsExactly(randomLabels(PROBED, HEAD));
    assertThat(rows).extracting(row -> row[5]).containsExactly("500", "200", "", "400", "");
    assertThat(rows)
        .extracting(row -> row[8])
        .containsExactly("true", "true", "false", "true", "false");
    // every head and then the probe by default
    CliRun all = samples("probed-run", "--csv", csv.toString());
    assertThat(all.out()).contains("15 rows (5 samples × 3 head(s)");
  }

  private static String[] randomLabels(SampleEvaluations run, String head) {
    return java.util.stream.IntStream.range(0, 5)
        .mapToObj(i -> Integer.toString(run.randomLabel(head, i)))
        .toArray(String[]::new);
  }

  @Test
  void anUnknownRunOrHeadIsOneLineAndExit1() {
    Path csv = dir.resolve("none.csv");
    CliRun unknown = samples("no-such-run", "--csv", csv.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err().strip())
        .isEqualTo(
            "memoscope samples: no evaluations of run no-such-run in "
                + Topics.EVALUATIONS
                + " at "
                + kafka.bootstrapServers());
    assertThat(csv).doesNotExist();

    CliRun head = samples("csv-run", "--head", "fc/3", "--csv", csv.toString());
    assertThat(head.exitCode()).isEqualTo(1);
    assertThat(head.err().strip())
        .isEqualTo(
            "memoscope samples: run csv-run has no head fc/3; its heads: penultimate/0, logits/1");
    assertThat(csv).doesNotExist();

    assertThat(samples("csv-run").exitCode()).as("--csv is required").isEqualTo(2);
  }

  static String row(
      String head, int i, String onset, int forgetting, boolean classRight, boolean memorized) {
    return String.join(
        ",",
        "csv-run",
        head,
        Long.toString(RUN.index(i)),
        Integer.toString(RUN.classOf(i)),
        Integer.toString(RUN.randomLabel(head, i)),
        onset,
        Integer.toString(forgetting),
        Boolean.toString(classRight),
        Boolean.toString(memorized));
  }
}
