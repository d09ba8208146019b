package io.memoscope.trainer.probe;

import java.util.List;

/**
 * One probe of a model: every tap and labeling probed.
 *
 * @param step optimizer steps the probed model had taken
 * @param source what was probed, for people (e.g. {@code checkpoint step-000000000120.ckpt}, {@code
 *     in run})
 * @param samples samples per split each probe was fitted on
 * @param recipe how every probe was trained
 * @param seconds wall time of the whole probe
 */
public record ProbeReport(
    long step,
    String source,
    int samples,
    ProbeRecipe recipe,
    List<ProbeResult> results,
    double seconds) {

  public ProbeReport {
    results = List.copyOf(results);
  }
}
