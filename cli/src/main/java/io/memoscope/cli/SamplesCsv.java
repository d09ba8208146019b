package io.memoscope.cli;

import io.memoscope.metrics.SampleSubset;
import io.memoscope.metrics.SampleTimelines;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * {@code memoscope samples --csv}: one row per sample and head (or probe) of a run's evaluation
 * subset, what {@link SampleTimelines} derives from its evaluations; a probe's class_right is that
 * of its latest probe. {@code onset_step} is empty where the head does not predict the sample's
 * random label at the latest evaluation; the booleans are {@code true} or {@code false}. Every
 * value is a number, a boolean or an id of {@code [A-Za-z0-9_/-]} (run ids and head ids), so
 * nothing needs quoting.
 */
final class SamplesCsv {

  static final List<String> COLUMNS =
      List.of(
          "run",
          "head",
          "index",
          "class",
          "random_label",
          "onset_step",
          "forgetting_events",
          "class_right",
          "memorized");

  private SamplesCsv() {}

  /**
   * Writes the header and the rows of {@code heads} (each one of the run's), samples in subset
   * order.
   *
   * @return the rows written
   */
  static int write(Writer out, String run, SampleTimelines timelines, List<String> heads)
      throws IOException {
    SampleSubset subset = timelines.subset();
    SampleTimelines.Summary summary = timelines.summary();
    out.write(String.join(",", COLUMNS) + "\n");
    int rows = 0;
    for (String head : heads) {
      SampleTimelines.HeadSummary derived = summary.head(head).orElseThrow();
      int[] randomLabels = subset.randomLabels(head).orElseThrow();
      for (int i = 0; i < subset.size(); i++) {
        long onset = derived.onset()[i];
        out.write(
            String.join(
                    ",",
                    run,
                    head,
                    Long.toString(subset.indices()[i]),
                    Integer.toString(subset.classes()[i]),
                    Integer.toString(randomLabels[i]),
                    onset == SampleTimelines.NO_ONSET ? "" : Long.toString(onset),
                    Integer.toString(summary.forgetting()[i]),
                    Boolean.toString(derived.classRight().get(i)),
                    Boolean.toString(derived.memorized().get(i)))
                + "\n");
        rows++;
      }
    }
    return rows;
  }
}
