package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.EVAL_EVERY;
import static io.memoscope.trainer.config.Settings.EVAL_SUBSET;
import static io.memoscope.trainer.config.Settings.EVAL_UNIT;

/**
 * When and on what the evaluated metrics are computed.
 *
 * @param every evaluate after this many {@code unit}s
 * @param unit steps (optimizer updates) or epochs
 * @param subset fixed training samples for the evaluated random-label accuracy (0 = none)
 */
public record EvalConfig(int every, Unit unit, int subset) {

  public enum Unit {
    STEPS,
    EPOCHS
  }

  public EvalConfig {
    require(every >= 1, EVAL_EVERY, "must be at least 1, not " + every);
    require(unit != null, EVAL_UNIT, "must be steps or epochs");
    require(subset >= 0, EVAL_SUBSET, "must be >= 0, not " + subset);
  }

  public static EvalConfig defaults() {
    return new EvalConfig(1, Unit.EPOCHS, 2000);
  }

  /**
   * Whether an evaluation is due after optimizer step {@code step} (1-based, counted over the run).
   */
  public boolean dueAfterStep(long step) {
    return unit == Unit.STEPS && step % every == 0;
  }

  /** Whether an evaluation is due at the end of epoch {@code epoch} (1-based). */
  public boolean dueAfterEpoch(int epoch) {
    return unit == Unit.EPOCHS && epoch % every == 0;
  }
}
