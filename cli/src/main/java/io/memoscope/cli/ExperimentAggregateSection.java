package io.memoscope.cli;

import io.memoscope.cli.ExperimentFindings.LambdaDose;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report's tables over seeds: each configuration's means with their 95 % intervals over seeds,
 * the baseline's depth curve (finding b) and the λ dose-response (findings d and e). Every number
 * is a mean or a paired difference of final values in runs.csv (the rows with {@code final} true),
 * grouped by {@code configuration} and paired by {@code seed}.
 */
final class ExperimentAggregateSection {

  static final String CONFIGURATIONS = "## Configurations (mean over seeds)";
  static final String DEPTH = "## Depth curve (baseline)";
  static final String DOSE_RESPONSE = "## λ dose-response (paired with the baseline)";

  private final ExperimentFindings findings;

  ExperimentAggregateSection(List<ExperimentRun> runs) {
    this.findings = new ExperimentFindings(runs);
  }

  String markdown() {
    return configurations() + '\n' + depth() + '\n' + doseResponse();
  }

  private String configurations() {
    StringBuilder md = new StringBuilder(CONFIGURATIONS).append("\n\n");
    md.append(
            "Final values, mean over the configuration's finished runs with the 95 % Student t interval over ")
        .append(
            "seeds (n = 1: no interval over seeds); a run's own Wilson intervals are in Runs below. RLA and M ")
        .append(
            "at the deepest tap; probe RLA: the independent probe's train fit at the deepest probed tap.\n\n");
    md.append(
        "| configuration | overrides | runs | train acc | test acc | gap | RLA | M | probe RLA |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (ExperimentConfiguration c : findings.configurations()) {
      String runs =
          String.format(
              Locale.ROOT,
              "%d of %d%s",
              c.measured().size(),
              c.runs().size(),
              c.failed() > 0 ? String.format(Locale.ROOT, " (%d failed)", c.failed()) : "");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              c.name(),
              cell(c.overridesText()),
              runs,
              mean(c, r -> r.last().trainAccuracy()),
              mean(c, ExperimentFindings::testAccuracy),
              mean(c, ExperimentFindings::finalGap),
              mean(c, ExperimentFindings::deepestRla),
              mean(c, ExperimentFindings::deepestIndex),
              mean(c, ExperimentFindings::deepestProbeRla)));
    }
    return md.toString();
  }

  private String depth() {
    StringBuilder md = new StringBuilder(DEPTH).append("\n\n");
    ExperimentConfiguration base = findings.baseline();
    if (base == null) {
      return md.append("No baseline configuration with λ = 0.\n").toString();
    }
    Map<String, SeedInterval> heads = ExperimentFindings.byTap(base, run -> run.last().rlaByTap());
    Map<String, SeedInterval> probes = ExperimentFindings.byTap(base, ExperimentRun::probeRlaByTap);
    md.append(
            "The baseline's final RLA per tap, shallow to deep, mean over seeds [95 % interval over seeds]: the ")
        .append(
            "co-trained head and the independent probe (train fit; empty where it did not probe). Both read ")
        .append(
            "each tap through the configured readout (`heads.readout`, docs/trainer.md); the probe's recipe ")
        .append("is the same at every tap.\n\n");
    md.append("| tap | co-trained head RLA | probe RLA |\n| --- | --- | --- |\n");
    List<String> taps = new ArrayList<>(heads.keySet());
    probes.keySet().stream().filter(t -> !taps.contains(t)).forEach(taps::add);
    for (String tap : taps) {
      md.append("| ")
          .append(tap)
          .append(" | ")
          .append(text(heads.get(tap)))
          .append(" | ")
          .append(text(probes.get(tap)))
          .append(" |\n");
    }
    return md.toString();
  }

  private String doseResponse() {
    StringBuilder md = new StringBuilder(DOSE_RESPONSE).append("\n\n");
    List<LambdaDose> doses = findings.doseResponse();
    if (doses.isEmpty()) {
      return md.append("No λ configuration (or no baseline) to compare.\n").toString();
    }
    md.append(
            "Per λ, the paired difference from the baseline (same seed) of the final deepest-tap RLA of the ")
        .append(
            "co-trained head, of the independent probe, and of test accuracy: mean [95 % interval], n paired ")
        .append("seeds, and what the paired rule reads from it.\n\n");
    md.append("| λ | head RLA − baseline | probe RLA − baseline | test acc − baseline |\n");
    md.append("| --- | --- | --- | --- |\n");
    for (LambdaDose dose : doses) {
      md.append("| ")
          .append(ExperimentFindings.number(dose.lambda()))
          .append(" | ")
          .append(dose.head().text())
          .append(" | ")
          .append(dose.probe().text())
          .append(" | ")
          .append(dose.testAccuracy().text())
          .append(" |\n");
    }
    md.append("\nSmallest λ with a measurable drop: co-trained head ")
        .append(ExperimentFindings.smallestLowering(doses, LambdaDose::head))
        .append(", probe ")
        .append(ExperimentFindings.smallestLowering(doses, LambdaDose::probe))
        .append(".\n");
    return md.toString();
  }

  private static String mean(
      ExperimentConfiguration configuration, ToDoubleFunction<ExperimentRun> metric) {
    return text(configuration.overSeeds(metric));
  }

  private static String text(SeedInterval interval) {
    return interval == null || interval.n() == 0 ? "" : interval.text();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
