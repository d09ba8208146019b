package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.PROBE_EVERY;
import static io.memoscope.trainer.config.Settings.PROBE_HIDDEN_WIDTH;
import static io.memoscope.trainer.config.Settings.PROBE_MAX_EPOCHS;
import static io.memoscope.trainer.config.Settings.PROBE_TAPS;

import java.util.HashSet;
import java.util.List;

/**
 * The independent probe inside a training run (docs/trainer.md, "The probe").
 *
 * @param every probe at every {@code every}-th evaluation; 0 = never (the default: see
 *     docs/trainer.md for what it costs)
 * @param taps the taps to probe: {@code [all]} or tap names
 * @param hiddenWidth 0 for a linear probe (the default recipe), else one hidden ReLU layer
 * @param maxEpochs the most epochs a probe trains before it is scored, converged or not
 */
public record ProbeConfig(int every, List<String> taps, int hiddenWidth, int maxEpochs) {

  public ProbeConfig {
    require(every >= 0, PROBE_EVERY, "must be >= 0 (0 = off), not " + every);
    require(taps != null && !taps.isEmpty(), PROBE_TAPS, "must be 'all' or name at least one tap");
    taps = List.copyOf(taps);
    require(new HashSet<>(taps).size() == taps.size(), PROBE_TAPS, "names a tap twice: " + taps);
    require(
        !taps.contains(HeadsConfig.ALL) || taps.size() == 1,
        PROBE_TAPS,
        "'all' cannot be combined with tap names");
    require(hiddenWidth >= 0, PROBE_HIDDEN_WIDTH, "must be >= 0 (0 = linear), not " + hiddenWidth);
    require(maxEpochs >= 1, PROBE_MAX_EPOCHS, "must be at least 1, not " + maxEpochs);
  }

  public static ProbeConfig defaults() {
    return new ProbeConfig(0, List.of(HeadsConfig.ALL), 0, 200);
  }

  /** Whether the {@code evaluation}-th evaluation of a run (1-based) is followed by a probe. */
  public boolean dueAtEvaluation(long evaluation) {
    return every > 0 && evaluation % every == 0;
  }
}
