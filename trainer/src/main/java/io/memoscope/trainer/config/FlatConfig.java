package io.memoscope.trainer.config;

import io.memoscope.trainer.config.EvalConfig.Unit;
import io.memoscope.trainer.config.HeadsConfig.Kind;
import io.memoscope.trainer.config.OptimizerConfig.Name;
import io.memoscope.trainer.config.OptimizerConfig.Schedule;
import io.memoscope.trainer.net.Readout;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;

/** The dotted-key form of a {@link TrainingConfig}: every key, its type, and both directions. */
final class FlatConfig {

  static final String LEARNING_RATE = "optimizer.learning-rate";

  /** Every key a training config file, flag map or manifest may hold. */
  static final Set<String> KEYS = Collections.unmodifiableSet(write(TrainingConfig.defaults()).keySet());

  private FlatConfig() {
  }

  static SortedMap<String, String> write(TrainingConfig config) {
    SortedMap<String, String> map = new TreeMap<>();
    ModelConfig model = config.model();
    map.put("model.name", model.name());
    map.put("model.batch-norm", Boolean.toString(model.batchNorm()));
    map.put("model.width-scale", Numbers.format(model.widthScale()));
    HeadsConfig heads = config.heads();
    map.put("heads.taps", String.join(",", heads.taps()));
    map.put("heads.kind", lower(heads.kind()));
    map.put("heads.hidden-width", Integer.toString(heads.hiddenWidth()));
    map.put("heads.lambda", heads.lambda().format());
    map.put("heads.labelings", heads.labelings() == HeadsConfig.ALL_LABELINGS ? HeadsConfig.ALL
        : Integer.toString(heads.labelings()));
    map.put("heads.readout", lower(heads.readout()));
    map.put("heads.readout-width", Integer.toString(heads.readoutWidth()));
    RegularizationConfig regularization = config.regularization();
    map.put("regularization.dropout", Numbers.format(regularization.dropout()));
    map.put("regularization.weight-decay", Numbers.format(regularization.weightDecay()));
    map.put("regularization.label-smoothing", Numbers.format(regularization.labelSmoothing()));
    AugmentationConfig augmentation = config.augmentation();
    map.put("augmentation.crop-padding", Integer.toString(augmentation.cropPadding()));
    map.put("augmentation.horizontal-flip", Boolean.toString(augmentation.horizontalFlip()));
    OptimizerConfig optimizer = config.optimizer();
    map.put("optimizer.name", lower(optimizer.name()));
    map.put(LEARNING_RATE, Numbers.format(optimizer.learningRate()));
    map.put("optimizer.momentum", Numbers.format(optimizer.momentum()));
    map.put("optimizer.schedule", lower(optimizer.schedule()));
    map.put("optimizer.warmup-steps", Long.toString(optimizer.warmupSteps()));
    map.put("optimizer.warmup-fraction", Numbers.format(optimizer.warmupFraction()));
    map.put("optimizer.min-learning-rate", Numbers.format(optimizer.minLearningRate()));
    map.put("epochs", Integer.toString(config.epochs()));
    map.put("batch-size", Integer.toString(config.batchSize()));
    EvalConfig eval = config.eval();
    map.put("eval.every", Integer.toString(eval.every()));
    map.put("eval.unit", lower(eval.unit()));
    map.put("eval.subset", Integer.toString(eval.subset()));
    map.put("seed", Long.toString(config.seed()));
    map.put("shuffle-buffer", Integer.toString(config.shuffleBuffer()));
    map.put("data-type", lower(config.dataType()));
    ProbeConfig probe = config.probe();
    map.put("probe.every", Integer.toString(probe.every()));
    map.put("probe.taps", String.join(",", probe.taps()));
    map.put("probe.hidden-width", Integer.toString(probe.hiddenWidth()));
    map.put("probe.max-epochs", Integer.toString(probe.maxEpochs()));
    map.put("on-divergence", lower(config.onDivergence()));
    return map;
  }

  /**
   * Builds a config from {@code values} over the defaults. The learning rate, when not given,
   * is the default of the optimizer that is.
   */
  static TrainingConfig read(Map<String, String> values) {
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InvalidSettingException(key, "is not a training setting");
      }
    }
    Map<String, String> all = new TreeMap<>(write(TrainingConfig.defaults()));
    all.remove(LEARNING_RATE);
    all.putAll(values);
    Reader in = new Reader(all);
    Name optimizer = in.choice("optimizer.name", Name.class);
    double learningRate = all.containsKey(LEARNING_RATE) ? in.decimal(LEARNING_RATE)
        : OptimizerConfig.defaultLearningRate(optimizer);
    return new TrainingConfig(
        new ModelConfig(in.text("model.name"), in.bool("model.batch-norm"), in.decimal("model.width-scale")),
        new HeadsConfig(in.list("heads.taps"), in.choice("heads.kind", Kind.class), in.integer("heads.hidden-width"),
            Lambdas.parse(in.text("heads.lambda")), in.labelings("heads.labelings"),
            in.choice("heads.readout", Readout.class), in.integer("heads.readout-width")),
        new RegularizationConfig(in.decimal("regularization.dropout"), in.decimal("regularization.weight-decay"),
            in.decimal("regularization.label-smoothing")),
        new AugmentationConfig(in.integer("augmentation.crop-padding"), in.bool("augmentation.horizontal-flip")),
        new OptimizerConfig(optimizer, learningRate, in.decimal("optimizer.momentum"),
            in.choice("optimizer.schedule", Schedule.class), in.whole("optimizer.warmup-steps"),
            in.decimal("optimizer.warmup-fraction"), in.decimal("optimizer.min-learning-rate")),
        in.integer("epochs"),
        in.integer("batch-size"),
        new EvalConfig(in.integer("eval.every"), in.choice("eval.unit", Unit.class), in.integer("eval.subset")),
        in.whole("seed"),
        in.dataType("data-type"),
        in.integer("shuffle-buffer"),
        new ProbeConfig(in.integer("probe.every"), in.list("probe.taps"), in.integer("probe.hidden-width"),
            in.integer("probe.max-epochs")),
        in.choice("on-divergence", TrainingConfig.OnDivergence.class));
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Typed reads of string values; a value of the wrong type names its key. */
  private record Reader(Map<String, String> values) {

    String text(String key) {
      String value = values.get(key);
      if (value == null) {
        throw new InvalidSettingException(key, "has no value");
      }
      return value.strip();
    }

    List<String> list(String key) {
      return Arrays.stream(text(key).split(",", -1)).map(String::strip).toList();
    }

    boolean bool(String key) {
      String value = text(key);
      if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(value);
      }
      throw new InvalidSettingException(key, "must be true or false, not '" + value + "'");
    }

    int integer(String key) {
      try {
        return Integer.parseInt(text(key));
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(key, "must be an integer, not '" + text(key) + "'");
      }
    }

    long whole(String key) {
      try {
        return Long.parseLong(text(key));
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(key, "must be an integer, not '" + text(key) + "'");
      }
    }

    double decimal(String key) {
      try {
        // + 0.0 turns -0 into 0, so the written form reads back to an equal record.
        return Double.parseDouble(text(key)) + 0.0;
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(key, "must be a number, not '" + text(key) + "'");
      }
    }

    int labelings(String key) {
      if (text(key).equalsIgnoreCase(HeadsConfig.ALL)) {
        return HeadsConfig.ALL_LABELINGS;
      }
      int labelings = integer(key);
      if (labelings < 1) {
        throw new InvalidSettingException(key, "must be 'all' or at least 1, not " + labelings);
      }
      return labelings;
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
      String value = text(key);
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(value)) {
          return constant;
        }
      }
      throw new InvalidSettingException(key, "must be one of " + Arrays.stream(type.getEnumConstants())
          .map(FlatConfig::lower).collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }

    DataType dataType(String key) {
      String value = text(key);
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "float" -> DataType.FLOAT;
        case "double" -> DataType.DOUBLE;
        default -> throw new InvalidSettingException(key, "must be float or double, not '" + value + "'");
      };
    }
  }
}
