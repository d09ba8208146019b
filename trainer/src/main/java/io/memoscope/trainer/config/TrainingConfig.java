package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.BATCH_SIZE;
import static io.memoscope.trainer.config.Settings.DATA_TYPE;
import static io.memoscope.trainer.config.Settings.EPOCHS;
import static io.memoscope.trainer.config.Settings.ON_DIVERGENCE;
import static io.memoscope.trainer.config.Settings.SHUFFLE_BUFFER;

import io.memoscope.trainer.net.TrunkOptions;
import java.util.Map;
import java.util.SortedMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything that defines how one run trains, apart from its data. Loaded by {@link
 * TrainingConfigLoader}; written into the run manifest as {@link #toFlatMap()}.
 *
 * @param model the feature extractor
 * @param heads the random-label heads
 * @param regularization dropout, weight decay, label smoothing
 * @param augmentation random crop and flip
 * @param optimizer optimizer and learning-rate schedule
 * @param epochs passes over the training data
 * @param batchSize samples per optimizer step
 * @param eval when and on what the evaluated metrics are computed
 * @param seed initialisation, dropout, shuffling and augmentation seed
 * @param dataType FLOAT normally, DOUBLE for gradient checks
 * @param shuffleBuffer samples in the streaming trainer's epoch shuffle buffer; 0 = as many as an
 *     eighth of the heap holds, decided when the run starts and recorded in its manifest (the epoch
 *     order depends on it, so a resume or replay must use the same number)
 * @param probe the independent probe at evaluation points (off by default)
 * @param onDivergence what a run does when a loss or a parameter becomes NaN or infinite
 */
public record TrainingConfig(
    ModelConfig model,
    HeadsConfig heads,
    RegularizationConfig regularization,
    AugmentationConfig augmentation,
    OptimizerConfig optimizer,
    int epochs,
    int batchSize,
    EvalConfig eval,
    long seed,
    DataType dataType,
    int shuffleBuffer,
    ProbeConfig probe,
    OnDivergence onDivergence) {

  /** Key {@code on-divergence}: a diverged run stops (the default) or keeps going. */
  public enum OnDivergence {
    STOP,
    CONTINUE
  }

  public TrainingConfig {
    require(model != null, "model", "must be set");
    require(heads != null, "heads", "must be set");
    require(regularization != null, "regularization", "must be set");
    require(augmentation != null, "augmentation", "must be set");
    require(optimizer != null, "optimizer", "must be set");
    require(epochs >= 1, EPOCHS, "must be at least 1, not " + epochs);
    require(batchSize >= 1, BATCH_SIZE, "must be at least 1, not " + batchSize);
    require(eval != null, "eval", "must be set");
    require(
        dataType == DataType.FLOAT || dataType == DataType.DOUBLE,
        DATA_TYPE,
        "must be float or double, not " + dataType);
    require(
        shuffleBuffer >= 0,
        SHUFFLE_BUFFER,
        "must be >= 0 (0 = sized from the heap), not " + shuffleBuffer);
    require(probe != null, "probe", "must be set");
    require(onDivergence != null, ON_DIVERGENCE, "must be set");
  }

  public static TrainingConfig defaults() {
    return new TrainingConfig(
        ModelConfig.defaults(),
        HeadsConfig.defaults(),
        RegularizationConfig.defaults(),
        AugmentationConfig.defaults(),
        OptimizerConfig.defaults(),
        10,
        128,
        EvalConfig.defaults(),
        42,
        DataType.FLOAT,
        0,
        ProbeConfig.defaults(),
        OnDivergence.STOP);
  }

  /**
   * This config with the shuffle buffer set (a run fixes an automatic size before it records its
   * manifest).
   */
  public TrainingConfig withShuffleBuffer(int samples) {
    return new TrainingConfig(
        model,
        heads,
        regularization,
        augmentation,
        optimizer,
        epochs,
        batchSize,
        eval,
        seed,
        dataType,
        samples,
        probe,
        onDivergence);
  }

  /** Dropout, batch norm and width of the extractor, as the architectures take them. */
  public TrunkOptions trunkOptions() {
    return new TrunkOptions(regularization.dropout(), model.batchNorm(), model.widthScale());
  }

  /**
   * Every setting under its dotted key, sorted; {@link #fromFlatMap} reads it back to an equal
   * config.
   */
  public SortedMap<String, String> toFlatMap() {
    return FlatConfig.write(this);
  }

  /**
   * Reads a flat map such as {@link #toFlatMap()} wrote; keys it lacks keep their defaults.
   *
   * @throws InvalidSettingException for an unknown key or a bad value
   */
  public static TrainingConfig fromFlatMap(Map<String, String> values) {
    return FlatConfig.read(values);
  }
}
