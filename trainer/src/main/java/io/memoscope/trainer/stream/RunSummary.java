package io.memoscope.trainer.stream;

import java.nio.file.Path;
import java.util.Map;

/**
 * The end of a run, as {@code --summary FILE} writes it.
 *
 * @param samplesPerEpoch samples each epoch trained (valid records of the manifest's train range)
 * @param dataWaitSeconds time training spent waiting for the next batch from Kafka
 * @param parametersSha256 SHA-256 over the final parameters of every network of the run
 * @param finalMetrics the last evaluation's values
 */
public record RunSummary(
    String runId,
    String dataset,
    int epochs,
    long steps,
    long samplesPerEpoch,
    double samplesPerSecond,
    double dataWaitSeconds,
    long deadLetters,
    String parametersSha256,
    Map<String, Double> finalMetrics) {

  /** Writes the summary as JSON, atomically (temporary file, then rename). */
  public void writeJson(Path file) {
    JsonFiles.writeAtomically(file, this);
  }
}
