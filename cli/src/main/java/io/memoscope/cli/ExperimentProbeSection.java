package io.memoscope.cli;

import static io.memoscope.cli.ExperimentFormat.interval;
import static io.memoscope.cli.ExperimentFormat.signed;

import io.memoscope.cli.ExperimentRun.Evaluation;
import io.memoscope.cli.ExperimentRun.Probe;
import io.memoscope.trainer.metrics.EvaluationMetrics.HeadEvaluation;
import io.memoscope.trainer.probe.ProbeResult;
import java.util.List;
import java.util.Locale;

/**
 * The report's "Co-trained head vs independent probe" section: at each run's last probe, per tap
 * and labeling, the co-trained head's RLA beside what a fresh probe fits on the same frozen
 * features. The co-trained head is what λ trains against; the probe is not, so a λ > 0 run can show
 * a low co-trained RLA while its features still let a probe fit the training labels.
 */
final class ExperimentProbeSection {

  static final String TITLE = "## Co-trained head vs independent probe";

  private final List<ExperimentRun> runs;

  ExperimentProbeSection(List<ExperimentRun> runs) {
    this.runs = List.copyOf(runs);
  }

  String markdown() {
    StringBuilder md = new StringBuilder(TITLE).append("\n\n");
    List<ExperimentRun> probed = runs.stream().filter(r -> r.lastProbe() != null).toList();
    if (probed.isEmpty()) {
      md.append(
          "No run probed (the independent probe is off by default): turn it on with `probe.every: 1` in the "
              + "sweep file (base or a run) or `--set probe.every=1`; `probe.every: N` probes after every N-th "
              + "evaluation.\n");
      return md.toString();
    }
    md.append(
            "At each run's last probe. Co-trained RLA: the random-label head trained with the network (the ")
        .append(
            "head λ works against), at the evaluation the probe followed. Probe: a fresh random-label ")
        .append(
            "classifier trained to convergence on the frozen features of the training subset (train fit) and, ")
        .append(
            "separately, of as many test samples (test fit), n per split in the table; fits and RLA with their ")
        .append(
            "95 % Wilson score interval, the difference (train fit − test fit) with Newcombe's interval, the ")
        .append(
            "probe's M = difference / (1 − test fit). \"no head\": the run has no co-trained head at that tap. ")
        .append("Runs that did not probe are left out")
        .append(skipped(probed))
        .append(".\n\n");
    md.append(
            "| run | λ | epoch | step | tap | labeling | co-trained RLA | probe train fit | probe test fit | ")
        .append("difference | probe M | n |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (ExperimentRun run : probed) {
      Probe probe = run.lastProbe();
      Evaluation evaluation = run.evaluationAt(probe.step());
      String lambda =
          run.lambda().isPresent() ? ExperimentFindings.number(run.lambda().getAsDouble()) : "?";
      for (ProbeResult result : probe.report().results()) {
        HeadEvaluation head = evaluation == null ? null : evaluation.head(result.head());
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %,d | %s | %d | %s | %s | %s | %s | %s | %,d |%n",
                run.name,
                lambda,
                probe.epoch(),
                probe.step(),
                result.tap(),
                result.labeling(),
                head == null ? "no head" : interval(head.train().interval()),
                interval(result.train().interval()),
                interval(result.test().interval()),
                signed(result.difference()),
                signed(result.memorizationIndex()),
                probe.report().samples()));
      }
    }
    return md.toString();
  }

  private String skipped(List<ExperimentRun> probed) {
    List<String> names = runs.stream().filter(r -> !probed.contains(r)).map(r -> r.name).toList();
    return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
  }
}
