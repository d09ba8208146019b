package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.Settings.AUGMENTATION_CROP_PADDING;
import static io.memoscope.trainer.config.Settings.AUGMENTATION_HORIZONTAL_FLIP;
import static io.memoscope.trainer.config.Settings.BATCH_SIZE;
import static io.memoscope.trainer.config.Settings.DATA_TYPE;
import static io.memoscope.trainer.config.Settings.EPOCHS;
import static io.memoscope.trainer.config.Settings.EVAL_EVERY;
import static io.memoscope.trainer.config.Settings.EVAL_SUBSET;
import static io.memoscope.trainer.config.Settings.EVAL_UNIT;
import static io.memoscope.trainer.config.Settings.HEADS_HIDDEN_WIDTH;
import static io.memoscope.trainer.config.Settings.HEADS_KIND;
import static io.memoscope.trainer.config.Settings.HEADS_LABELINGS;
import static io.memoscope.trainer.config.Settings.HEADS_LAMBDA;
import static io.memoscope.trainer.config.Settings.HEADS_READOUT;
import static io.memoscope.trainer.config.Settings.HEADS_READOUT_WIDTH;
import static io.memoscope.trainer.config.Settings.HEADS_TAPS;
import static io.memoscope.trainer.config.Settings.MODEL_BATCH_NORM;
import static io.memoscope.trainer.config.Settings.MODEL_NAME;
import static io.memoscope.trainer.config.Settings.MODEL_WIDTH_SCALE;
import static io.memoscope.trainer.config.Settings.ON_DIVERGENCE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_LEARNING_RATE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_MIN_LEARNING_RATE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_MOMENTUM;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_NAME;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_SCHEDULE;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_WARMUP_FRACTION;
import static io.memoscope.trainer.config.Settings.OPTIMIZER_WARMUP_STEPS;
import static io.memoscope.trainer.config.Settings.PROBE_EVERY;
import static io.memoscope.trainer.config.Settings.PROBE_HIDDEN_WIDTH;
import static io.memoscope.trainer.config.Settings.PROBE_MAX_EPOCHS;
import static io.memoscope.trainer.config.Settings.PROBE_TAPS;
import static io.memoscope.trainer.config.Settings.REGULARIZATION_DROPOUT;
import static io.memoscope.trainer.config.Settings.REGULARIZATION_LABEL_SMOOTHING;
import static io.memoscope.trainer.config.Settings.REGULARIZATION_WEIGHT_DECAY;
import static io.memoscope.trainer.config.Settings.SEED;
import static io.memoscope.trainer.config.Settings.SHUFFLE_BUFFER;

import io.memoscope.trainer.config.OptimizerConfig.Name;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dotted-key form of a {@link TrainingConfig}, both directions, over the table of {@link
 * Settings}.
 */
final class FlatConfig {

  /** Every key a training config file, flag map or manifest may hold, sorted. */
  static final Set<String> KEYS =
      Collections.unmodifiableSortedSet(
          new TreeSet<>(Settings.ALL.stream().map(Setting::key).toList()));

  private FlatConfig() {}

  static SortedMap<String, String> write(TrainingConfig config) {
    SortedMap<String, String> map = new TreeMap<>();
    Settings.ALL.forEach(setting -> map.put(setting.key(), setting.write(config)));
    return map;
  }

  /**
   * Builds a config from {@code values} over the defaults. The learning rate, when not given, is
   * the default of the optimizer that is.
   */
  static TrainingConfig read(Map<String, String> values) {
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InvalidSettingException(key, "is not a training setting");
      }
    }
    Map<String, String> all = new TreeMap<>(write(TrainingConfig.defaults()));
    all.remove(OPTIMIZER_LEARNING_RATE.key());
    all.putAll(values);
    Values in = new Values(all);
    Name optimizer = in.get(OPTIMIZER_NAME);
    double learningRate =
        in.has(OPTIMIZER_LEARNING_RATE)
            ? in.get(OPTIMIZER_LEARNING_RATE)
            : OptimizerConfig.defaultLearningRate(optimizer);
    return new TrainingConfig(
        new ModelConfig(in.get(MODEL_NAME), in.get(MODEL_BATCH_NORM), in.get(MODEL_WIDTH_SCALE)),
        new HeadsConfig(
            in.get(HEADS_TAPS),
            in.get(HEADS_KIND),
            in.get(HEADS_HIDDEN_WIDTH),
            in.get(HEADS_LAMBDA),
            in.get(HEADS_LABELINGS),
            in.get(HEADS_READOUT),
            in.get(HEADS_READOUT_WIDTH)),
        new RegularizationConfig(
            in.get(REGULARIZATION_DROPOUT),
            in.get(REGULARIZATION_WEIGHT_DECAY),
            in.get(REGULARIZATION_LABEL_SMOOTHING)),
        new AugmentationConfig(
            in.get(AUGMENTATION_CROP_PADDING), in.get(AUGMENTATION_HORIZONTAL_FLIP)),
        new OptimizerConfig(
            optimizer,
            learningRate,
            in.get(OPTIMIZER_MOMENTUM),
            in.get(OPTIMIZER_SCHEDULE),
            in.get(OPTIMIZER_WARMUP_STEPS),
            in.get(OPTIMIZER_WARMUP_FRACTION),
            in.get(OPTIMIZER_MIN_LEARNING_RATE)),
        in.get(EPOCHS),
        in.get(BATCH_SIZE),
        new EvalConfig(in.get(EVAL_EVERY), in.get(EVAL_UNIT), in.get(EVAL_SUBSET)),
        in.get(SEED),
        in.get(DATA_TYPE),
        in.get(SHUFFLE_BUFFER),
        new ProbeConfig(
            in.get(PROBE_EVERY),
            in.get(PROBE_TAPS),
            in.get(PROBE_HIDDEN_WIDTH),
            in.get(PROBE_MAX_EPOCHS)),
        in.get(ON_DIVERGENCE));
  }

  /** String values by key, read through their settings. */
  private record Values(Map<String, String> values) {

    boolean has(Setting<?> setting) {
      return values.containsKey(setting.key());
    }

    <T> T get(Setting<T> setting) {
      String text = values.get(setting.key());
      if (text == null) {
        throw new InvalidSettingException(setting.key(), "has no value");
      }
      return setting.read(text);
    }
  }
}
