package io.memoscope.trainer.probe;

import io.memoscope.trainer.config.HeadsConfig;
import io.memoscope.trainer.config.InvalidSettingException;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.metrics.Evaluator.Samples;
import io.memoscope.trainer.net.Tap;
import java.util.List;

/**
 * A run's probe settings made concrete: the recipe (the run's seed, {@code probe.hidden-width},
 * {@code probe.max-epochs}), the taps to read and the random-label classes. The one way the
 * trainer's in-run probe and {@code memoscope probe} set a probe up, so both measure alike.
 */
public record ProbeRun(ProbeRecipe recipe, List<String> taps, int randomClasses) {

  public static ProbeRun of(TrainingConfig config, int randomClasses) {
    return new ProbeRun(
        ProbeRecipe.standard(
            config.probe().hiddenWidth(), config.probe().maxEpochs(), config.seed()),
        config.probe().taps(),
        randomClasses);
  }

  /** This probe on other taps ({@code all} or names), e.g. from a command line. */
  public ProbeRun onTaps(List<String> names) {
    return new ProbeRun(recipe, names, randomClasses);
  }

  /** This probe with another hidden width (0 = linear). */
  public ProbeRun withHiddenWidth(int hiddenWidth) {
    return new ProbeRun(
        new ProbeRecipe(
            hiddenWidth,
            recipe.maxEpochs(),
            recipe.patience(),
            recipe.minImprovement(),
            recipe.learningRate(),
            recipe.batchSize(),
            recipe.seed()),
        taps,
        randomClasses);
  }

  public ProbeReport run(
      MultiHeadModel model, Samples train, Samples test, long step, String source) {
    return new Probe(recipe).run(model, train, test, resolve(model), randomClasses, step, source);
  }

  /** The tap names in depth order; {@code all} = every tap of the model. */
  public List<String> resolve(MultiHeadModel model) {
    List<Tap> all = model.trunk().taps();
    if (taps.equals(List.of(HeadsConfig.ALL))) {
      return all.stream().map(Tap::name).toList();
    }
    for (String name : taps) {
      if (all.stream().noneMatch(t -> t.name().equals(name))) {
        throw new InvalidSettingException(
            "probe.taps",
            "names '"
                + name
                + "', but "
                + model.spec().architecture()
                + " has the taps "
                + all.stream().map(Tap::name).toList());
      }
    }
    return all.stream().map(Tap::name).filter(taps::contains).toList();
  }
}
