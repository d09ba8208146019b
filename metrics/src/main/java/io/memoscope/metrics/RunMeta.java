package io.memoscope.metrics;

import io.memoscope.protocol.avro.RunManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service keeps about a run besides its series values (state store {@code run-meta},
 * JSON): the highest applied sequence (the de-duplication mark), the data set and config summary
 * from its manifest, and whether and when it finished.
 *
 * <p>An expired run keeps this small record ({@code expired = true}, no series) so that a late
 * duplicate of one of its events is still recognised instead of bringing the run back.
 *
 * @param run run id
 * @param dataset data set from the manifest; {@code null} until the manifest was seen
 * @param config bounded config summary from the manifest (the labels of {@code memoscope_run_info})
 * @param lastSequence highest applied sequence; -1 before the first event
 * @param lastEventMs timestamp of the newest applied event
 * @param finished whether a RUN_FINISHED event was applied
 * @param finishedAtMs timestamp of the RUN_FINISHED event (event time, so a rebuild expires the
 *     same runs)
 * @param expired whether the run's series were removed after the retention
 */
public record RunMeta(
    String run,
    String dataset,
    Map<String, String> config,
    long lastSequence,
    long lastEventMs,
    boolean finished,
    long finishedAtMs,
    boolean expired) {

  /**
   * Manifest config key to {@code memoscope_run_info} label. A fixed, short list: every label
   * multiplies nothing (there is one info series per run) but must exist on every run.
   */
  public static final Map<String, String> SUMMARY_KEYS;

  static {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("model.name", "model");
    keys.put("optimizer.name", "optimizer");
    keys.put("optimizer.learning-rate", "base_learning_rate");
    keys.put("optimizer.schedule", "schedule");
    keys.put("heads.taps", "taps");
    keys.put("heads.labelings", "labelings");
    keys.put("heads.lambda", "lambda");
    keys.put("regularization.dropout", "dropout");
    keys.put("regularization.weight-decay", "weight_decay");
    keys.put("regularization.label-smoothing", "label_smoothing");
    keys.put("augmentation.crop-padding", "crop_padding");
    keys.put("augmentation.horizontal-flip", "horizontal_flip");
    keys.put("epochs", "epochs");
    keys.put("batch-size", "batch_size");
    keys.put("seed", "seed");
    SUMMARY_KEYS = java.util.Collections.unmodifiableMap(keys);
  }

  /** The label that carries the manifest's code version. */
  public static final String CODE_VERSION_LABEL = "code_version";

  public RunMeta {
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  public static RunMeta first(String run) {
    return new RunMeta(run, null, Map.of(), -1, 0, false, 0, false);
  }

  public RunMeta withManifest(RunManifest manifest) {
    Map<String, String> summary = new TreeMap<>();
    SUMMARY_KEYS.forEach(
        (key, label) -> summary.put(label, manifest.getConfig().getOrDefault(key, "")));
    summary.put(CODE_VERSION_LABEL, manifest.getCodeVersion());
    return new RunMeta(
        run,
        manifest.getDataset(),
        summary,
        lastSequence,
        lastEventMs,
        finished,
        finishedAtMs,
        expired);
  }

  public RunMeta applied(long sequence, long timestampMs, boolean finishes) {
    boolean nowFinished = finished || finishes;
    return new RunMeta(
        run,
        dataset,
        config,
        Math.max(lastSequence, sequence),
        timestampMs,
        nowFinished,
        finishes ? timestampMs : finishedAtMs,
        false);
  }

  /** A resume: the run is going again (a failed run that is resumed is no longer finished). */
  public RunMeta resumed(long timestampMs) {
    return new RunMeta(run, dataset, config, lastSequence, timestampMs, false, finishedAtMs, false);
  }

  public RunMeta expire() {
    return new RunMeta(
        run, dataset, config, lastSequence, lastEventMs, finished, finishedAtMs, true);
  }

  /** The data set label: empty until the manifest is known. */
  public String datasetLabel() {
    return dataset == null ? "" : dataset;
  }
}
