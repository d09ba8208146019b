package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.broker.EmbeddedKafkaExtension;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoscope experiment}: a tiny sweep end to end against a real broker, two seeds, one
 * broken configuration. Its one verdict known in advance: {@code dropout-zero} sets dropout to its
 * default 0, so each of its runs trains bit-identically to the baseline of the same seed (the
 * trainer is deterministic on the CPU, docs/trainer.md), every paired difference is exactly 0 and
 * the rule must say "no measurable effect".
 */
class ExperimentCommandTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir Path dir;

  private static final String SWEEP =
      """
      # A tiny sweep for the test: 12×12 synthetic data, 2 epochs, heads at every tap, 2 seeds.
      name: tiny
      seeds: 2
      base:
        epochs: 2
        batch-size: 32
        model.width-scale: 0.5
        heads:
          taps: all
      runs:
        baseline: {}
        dropout-zero:
          regularization.dropout: 0
        lambda-1:
          heads.lambda: 1
          probe.every: 2
          probe.max-epochs: 10
        broken:
          regularization.dropuot: 0.3
      """;

  @Test
  void aTinySweepWritesTheReportCsvAndPlotsAndABrokenRunFailsAlone() throws Exception {
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "exp-syn",
            "--count",
            "240",
            "--test-count",
            "40",
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    Path sweep = Files.writeString(dir.resolve("tiny.yaml"), SWEEP);

    CliRun run =
        CliRun.of(
            Map.of(),
            "experiment",
            "--sweep",
            sweep.toString(),
            "--dataset",
            "exp-syn",
            "--report-dir",
            dir.resolve("report").toString(),
            "--checkpoint-dir",
            dir.resolve("runs").toString(),
            "--log-every",
            "4",
            "--bootstrap",
            kafka.bootstrapServers());

    // The broken configuration fails alone, once per seed, naming the bad key; the command exits 1.
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("experiment tiny: 8 runs, 2 failed")
        .contains("run broken-s1 failed: ")
        .contains("run broken-s2 failed: ")
        .contains("regularization.dropuot");
    assertThat(run.err())
        .contains(
            "seeds [1, 2]",
            "[baseline-s1] finished",
            "[baseline-s2] finished",
            "[dropout-zero-s2] finished",
            "[lambda-1-s1] finished",
            "[broken-s1] FAILED");

    Path report = dir.resolve("report/tiny");
    String markdown = Files.readString(report.resolve("report.md"));
    assertThat(markdown)
        .contains(
            "## Findings",
            "exp-syn",
            "240 training samples per epoch",
            "40 test samples",
            "cores",
            "ND4J",
            "wall time",
            "| broken-s1 | 1 | failed |",
            "unknown training setting 'regularization.dropuot'",
            "95 % Wilson score interval on the evaluation subset of n = ",
            "| seeds | 2 per configuration (1, 2) |",
            "| broken | regularization.dropuot=0.3 | 0 of 2 (2 failed) |");
    // RLA with its interval in the runs table.
    assertThat(
            markdown
                .lines()
                .filter(l -> l.startsWith("| baseline-s1 | 1 | succeeded |"))
                .findFirst()
                .orElseThrow())
        .containsPattern("penultimate \\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\]");
    // The λ = 1 runs probed after their second evaluation: co-trained RLA and probe side by side,
    // every tap.
    assertThat(markdown)
        .contains(ExperimentProbeSection.TITLE)
        .doesNotContain("No run probed")
        .contains(
            "Runs that did not probe are left out (baseline-s1, dropout-zero-s1, broken-s1, baseline-s2, "
                + "dropout-zero-s2, broken-s2)");
    assertThat(markdown.lines().filter(l -> l.startsWith("| lambda-1-s2 | 1 | 2 | 16 |")))
        .hasSize(3)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\| lambda-1-s2 \\| 1 \\| 2 \\| 16 \\| \\w+ \\| 0 \\| "
                            + "\\d\\.\\d{3} \\[.*\\] \\| \\d\\.\\d{3} \\[.*\\] \\| \\d\\.\\d{3} \\[.*\\] \\| .* \\| 40 \\|"));

    List<String> findings = markdown.lines().filter(l -> l.startsWith("- **(")).toList();
    assertThat(findings)
        .extracting(l -> l.substring(0, 7))
        .containsExactly("- **(a)", "- **(b)", "- **(c)", "- **(d)", "- **(d)", "- **(e)");
    assertThat(findings).allSatisfy(line -> assertThat(line).contains("Rule: "));
    // The verdict known in advance: identical training, paired differences exactly 0.
    assertThat(findings.get(2))
        .startsWith(
            "- **(c) dropout-zero (regularization.dropout=0) lowers random-label "
                + "accuracy: no measurable effect.**")
        .contains("paired difference +0.000 [+0.000, +0.000], n = 2: " + "no measurable effect");
    // Two seeds of every measured configuration: the others are measured too, whatever they say.
    assertThat(findings.get(0)).doesNotContain("not measured").contains("n = 2");
    assertThat(findings.get(1)).doesNotContain("not measured").contains("n = 2");
    assertThat(findings.get(3)).contains("λ=1 ", "n = 2: ");
    assertThat(findings.get(5))
        .containsPattern("λ=1 [+-]\\d\\.\\d{3} \\[.*\\], n = 2: (improves|unchanged|impairs)");
    assertThat(markdown).contains(ExperimentAggregateSection.DOSE_RESPONSE, "| 1 | ");

    List<String> csv = Files.readAllLines(report.resolve("runs.csv"));
    List<String> header = Arrays.asList(csv.get(0).split(","));
    assertThat(header)
        .contains(
            "run",
            "status",
            "epoch",
            "head",
            "tap",
            "accuracy_train",
            "accuracy_test",
            "random_label_accuracy",
            "memorization_index",
            "final",
            "config.regularization.dropout",
            "config.heads.lambda",
            "config.heads.taps",
            "configuration",
            "seed",
            "random_label_accuracy_low",
            "random_label_accuracy_high",
            "memorization_index_low",
            "memorization_index_high",
            "evaluated_samples",
            "probe_random_label_accuracy",
            "probe_difference_low");
    // 3 configurations × 2 seeds × 2 epochs × 3 heads (block1, block2, penultimate; one labeling),
    // + 1 row per
    // failed run.
    assertThat(csv).hasSize(1 + 3 * 2 * 2 * 3 + 2);
    assertThat(csv.subList(1, csv.size()))
        .allSatisfy(row -> assertThat(row.split(",", -1)).hasSameSizeAs(header.toArray()));
    assertThat(csv)
        .filteredOn(row -> row.contains(",broken,"))
        .hasSize(2)
        .allSatisfy(row -> assertThat(row).contains(",failed,"));
    assertThat(csv)
        .filteredOn(row -> row.contains(",baseline,1,baseline-s1,") && row.contains(",true,"))
        .hasSize(3);
    // Every head row of a finished run has its bounds around its value.
    int rla = header.indexOf("random_label_accuracy");
    int low = header.indexOf("random_label_accuracy_low");
    int high = header.indexOf("random_label_accuracy_high");
    assertThat(csv.subList(1, csv.size()))
        .filteredOn(row -> !row.contains(",broken,"))
        .allSatisfy(
            row -> {
              String[] fields = row.split(",", -1);
              assertThat(Double.parseDouble(fields[low]))
                  .isLessThanOrEqualTo(Double.parseDouble(fields[rla]));
              assertThat(Double.parseDouble(fields[high]))
                  .isGreaterThanOrEqualTo(Double.parseDouble(fields[rla]));
            });

    for (String png : ReportCharts.ALL) {
      Path file = report.resolve(png);
      assertThat(Files.size(file)).as(png).isGreaterThan(5_000);
      BufferedImage image = ImageIO.read(file.toFile());
      assertThat(image).as(png).isNotNull();
      assertThat(image.getWidth()).isEqualTo(900);
      assertThat(markdown).contains("(" + png + ")");
    }
  }
}
