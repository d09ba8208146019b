package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.SettingType.BOOL;
import static io.memoscope.trainer.config.SettingType.DECIMAL;
import static io.memoscope.trainer.config.SettingType.INTEGER;
import static io.memoscope.trainer.config.SettingType.LABELINGS;
import static io.memoscope.trainer.config.SettingType.LAMBDAS;
import static io.memoscope.trainer.config.SettingType.LIST;
import static io.memoscope.trainer.config.SettingType.TEXT;
import static io.memoscope.trainer.config.SettingType.WHOLE;
import static io.memoscope.trainer.config.SettingType.choice;

import io.memoscope.trainer.config.EvalConfig.Unit;
import io.memoscope.trainer.config.HeadsConfig.Kind;
import io.memoscope.trainer.config.OptimizerConfig.Name;
import io.memoscope.trainer.config.OptimizerConfig.Schedule;
import io.memoscope.trainer.config.TrainingConfig.OnDivergence;
import io.memoscope.trainer.net.Readout;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every training setting, declared once: the flat map of a run manifest, config files, flags and
 * the settings table of docs/trainer.md (checked by {@code SettingsDocTest}) all come from here. A
 * constant's name is its key in upper case with dots and dashes as underscores.
 */
public final class Settings {

  public static final Setting<String> MODEL_NAME =
      new Setting<>(
          "model.name",
          TEXT,
          c -> c.model().name(),
          "the feature extractor: "
              + ModelConfig.ARCHITECTURES.stream()
                  .map(Settings::code)
                  .collect(Collectors.joining(" or "))
              + " (Network, above)");
  public static final Setting<Boolean> MODEL_BATCH_NORM =
      new Setting<>(
          "model.batch-norm",
          BOOL,
          c -> c.model().batchNorm(),
          "batch normalization in the extractor");
  public static final Setting<Double> MODEL_WIDTH_SCALE =
      new Setting<>(
          "model.width-scale",
          DECIMAL,
          c -> c.model().widthScale(),
          "multiplies the width of every layer of the extractor (1 = the architecture's own)");

  public static final Setting<List<String>> HEADS_TAPS =
      new Setting<>(
          "heads.taps",
          LIST,
          c -> c.heads().taps(),
          "where random-label heads read: `penultimate` (the last tap, whatever the architecture calls it), a comma"
              + " list of tap names, or `all`; one head per tap and labeling");
  public static final Setting<Kind> HEADS_KIND =
      new Setting<>(
          "heads.kind",
          choice(Kind.class),
          c -> c.heads().kind(),
          "`linear`, or `mlp`: one hidden ReLU layer");
  public static final Setting<Integer> HEADS_HIDDEN_WIDTH =
      new Setting<>(
          "heads.hidden-width",
          INTEGER,
          c -> c.heads().hiddenWidth(),
          "width of an `mlp` head's hidden layer");
  public static final Setting<Lambdas> HEADS_LAMBDA =
      new Setting<>(
          "heads.lambda",
          LAMBDAS,
          c -> c.heads().lambda(),
          "λ, the weight of each head's memorization regularizer: one value (`0.5`), per tap (`block2=1`, others 0)"
              + " or both (`0.1,block3=10`); 0 = the heads only observe");
  public static final Setting<Integer> HEADS_LABELINGS =
      new Setting<>(
          "heads.labelings",
          LABELINGS,
          c -> c.heads().labelings(),
          "K, the random labelings to put heads on (each sample carries K): `all` or a count");
  public static final Setting<Readout> HEADS_READOUT =
      new Setting<>(
          "heads.readout",
          choice(Readout.class),
          c -> c.heads().readout(),
          "how heads and probes read a tap: `equal` (the same number of features at every"
              + " tap) or `pooled` (the global average of each channel); Equal-capacity taps, below");
  public static final Setting<Integer> HEADS_READOUT_WIDTH =
      new Setting<>(
          "heads.readout-width",
          INTEGER,
          c -> c.heads().readoutWidth(),
          "the features an `equal` readout gives at every tap; 0 = as many as the"
              + " penultimate tap has");

  public static final Setting<Double> REGULARIZATION_DROPOUT =
      new Setting<>(
          "regularization.dropout",
          DECIMAL,
          c -> c.regularization().dropout(),
          "dropout probability inside the extractor (0 = off)");
  public static final Setting<Double> REGULARIZATION_WEIGHT_DECAY =
      new Setting<>(
          "regularization.weight-decay",
          DECIMAL,
          c -> c.regularization().weightDecay(),
          "L2 coefficient on the weights of E and C (0 = off)");
  public static final Setting<Double> REGULARIZATION_LABEL_SMOOTHING =
      new Setting<>(
          "regularization.label-smoothing",
          DECIMAL,
          c -> c.regularization().labelSmoothing(),
          "ε of label smoothing on the class loss (0 = off)");

  public static final Setting<Integer> AUGMENTATION_CROP_PADDING =
      new Setting<>(
          "augmentation.crop-padding",
          INTEGER,
          c -> c.augmentation().cropPadding(),
          "random crop after zero padding by this many pixels on each side (0 = off)");
  public static final Setting<Boolean> AUGMENTATION_HORIZONTAL_FLIP =
      new Setting<>(
          "augmentation.horizontal-flip",
          BOOL,
          c -> c.augmentation().horizontalFlip(),
          "random left-right mirror (leave off for digits and text)");

  public static final Setting<Name> OPTIMIZER_NAME =
      new Setting<>(
          "optimizer.name",
          choice(Name.class),
          c -> c.optimizer().name(),
          "`sgd` (Nesterov momentum; ND4J has no plain-momentum updater) or `adam`");
  // Its default is the named optimizer's (FlatConfig.read), so the doc spells those out.
  public static final Setting<Double> OPTIMIZER_LEARNING_RATE =
      new Setting<>(
          "optimizer.learning-rate",
          DECIMAL,
          c -> c.optimizer().learningRate(),
          "peak learning rate, reached at the end of the warm-up; when not set,"
              + " the optimizer's own: "
              + Arrays.stream(Name.values())
                  .map(
                      name ->
                          Numbers.format(OptimizerConfig.defaultLearningRate(name))
                              + " for "
                              + code(SettingType.lower(name)))
                  .collect(Collectors.joining(", ")));
  public static final Setting<Double> OPTIMIZER_MOMENTUM =
      new Setting<>(
          "optimizer.momentum",
          DECIMAL,
          c -> c.optimizer().momentum(),
          "SGD momentum (Adam keeps its own β defaults)");
  public static final Setting<Schedule> OPTIMIZER_SCHEDULE =
      new Setting<>(
          "optimizer.schedule",
          choice(Schedule.class),
          c -> c.optimizer().schedule(),
          "after the warm-up: `cosine` decay to the minimum learning rate, or `constant`");
  public static final Setting<Long> OPTIMIZER_WARMUP_STEPS =
      new Setting<>(
          "optimizer.warmup-steps",
          WHOLE,
          c -> c.optimizer().warmupSteps(),
          "steps of linear warm-up (0 = as the warm-up fraction says)");
  public static final Setting<Double> OPTIMIZER_WARMUP_FRACTION =
      new Setting<>(
          "optimizer.warmup-fraction",
          DECIMAL,
          c -> c.optimizer().warmupFraction(),
          "warm-up as a fraction of the run's steps (0 = none); set this or the"
              + " warm-up steps, not both");
  public static final Setting<Double> OPTIMIZER_MIN_LEARNING_RATE =
      new Setting<>(
          "optimizer.min-learning-rate",
          DECIMAL,
          c -> c.optimizer().minLearningRate(),
          "where the cosine decay ends");

  public static final Setting<Integer> EPOCHS =
      new Setting<>("epochs", INTEGER, TrainingConfig::epochs, "passes over the training data");
  public static final Setting<Integer> BATCH_SIZE =
      new Setting<>("batch-size", INTEGER, TrainingConfig::batchSize, "samples per optimizer step");

  public static final Setting<Integer> EVAL_EVERY =
      new Setting<>(
          "eval.every", INTEGER, c -> c.eval().every(), "evaluate after this many steps or epochs");
  public static final Setting<Unit> EVAL_UNIT =
      new Setting<>(
          "eval.unit",
          choice(Unit.class),
          c -> c.eval().unit(),
          "what the evaluation schedule counts: `steps` (optimizer updates) or `epochs`");
  public static final Setting<Integer> EVAL_SUBSET =
      new Setting<>(
          "eval.subset",
          INTEGER,
          c -> c.eval().subset(),
          "fixed training samples for the evaluated random-label accuracy (0 = none; 2,000: ±0.013 at chance, below)");

  public static final Setting<Long> SEED =
      new Setting<>(
          "seed",
          WHOLE,
          TrainingConfig::seed,
          "seeds initialisation, dropout, shuffling and augmentation");
  public static final Setting<DataType> DATA_TYPE =
      new Setting<>(
          "data-type",
          SettingType.DATA_TYPE,
          TrainingConfig::dataType,
          "`float`, or `double` for gradient checks");
  public static final Setting<Integer> SHUFFLE_BUFFER =
      new Setting<>(
          "shuffle-buffer",
          INTEGER,
          TrainingConfig::shuffleBuffer,
          "samples in the streaming trainer's epoch shuffle buffer; 0 = as many as an"
              + " eighth of the heap holds (below)");

  public static final Setting<Integer> PROBE_EVERY =
      new Setting<>(
          "probe.every",
          INTEGER,
          c -> c.probe().every(),
          "the independent probe after every N-th evaluation (0 = off; The probe, below)");
  public static final Setting<List<String>> PROBE_TAPS =
      new Setting<>(
          "probe.taps",
          LIST,
          c -> c.probe().taps(),
          "the taps the probe reads: `all` or tap names");
  public static final Setting<Integer> PROBE_HIDDEN_WIDTH =
      new Setting<>(
          "probe.hidden-width",
          INTEGER,
          c -> c.probe().hiddenWidth(),
          "0 for a linear probe (the recipe), else the width of one hidden ReLU layer");
  public static final Setting<Integer> PROBE_MAX_EPOCHS =
      new Setting<>(
          "probe.max-epochs",
          INTEGER,
          c -> c.probe().maxEpochs(),
          "the most epochs a probe trains before it is scored, converged or not");

  public static final Setting<OnDivergence> ON_DIVERGENCE =
      new Setting<>(
          "on-divergence",
          choice(OnDivergence.class),
          TrainingConfig::onDivergence,
          "what a run does when a loss or a parameter becomes NaN or infinite: `stop` or"
              + " `continue` (below; `memoscope train --on-divergence` sets it)");

  /** Every setting, in the order of docs/trainer.md's table. */
  public static final List<Setting<?>> ALL =
      List.of(
          MODEL_NAME,
          MODEL_BATCH_NORM,
          MODEL_WIDTH_SCALE,
          HEADS_TAPS,
          HEADS_KIND,
          HEADS_HIDDEN_WIDTH,
          HEADS_LAMBDA,
          HEADS_LABELINGS,
          HEADS_READOUT,
          HEADS_READOUT_WIDTH,
          REGULARIZATION_DROPOUT,
          REGULARIZATION_WEIGHT_DECAY,
          REGULARIZATION_LABEL_SMOOTHING,
          AUGMENTATION_CROP_PADDING,
          AUGMENTATION_HORIZONTAL_FLIP,
          OPTIMIZER_NAME,
          OPTIMIZER_LEARNING_RATE,
          OPTIMIZER_MOMENTUM,
          OPTIMIZER_SCHEDULE,
          OPTIMIZER_WARMUP_STEPS,
          OPTIMIZER_WARMUP_FRACTION,
          OPTIMIZER_MIN_LEARNING_RATE,
          EPOCHS,
          BATCH_SIZE,
          EVAL_EVERY,
          EVAL_UNIT,
          EVAL_SUBSET,
          SEED,
          DATA_TYPE,
          SHUFFLE_BUFFER,
          PROBE_EVERY,
          PROBE_TAPS,
          PROBE_HIDDEN_WIDTH,
          PROBE_MAX_EPOCHS,
          ON_DIVERGENCE);

  private Settings() {}

  private static String code(String text) {
    return "`" + text + "`";
  }
}
