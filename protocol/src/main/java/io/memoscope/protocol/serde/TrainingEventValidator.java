package io.memoscope.protocol.serde;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.util.Map;

/**
 * The contract of a {@link TrainingEvent}: valid run id, non-negative counters, named metrics and
 * labels. Metric values are not checked: NaN and infinity are legitimate reports.
 */
public final class TrainingEventValidator implements RecordValidator<TrainingEvent> {

  @Override
  public void validate(TrainingEvent e) {
    String id = "TrainingEvent " + e.getRunId() + "#" + e.getSequence();
    if (!RunIds.isValid(e.getRunId())) {
      throw invalid(
          id,
          "runId is not a valid run id (1-"
              + RunIds.MAX_LENGTH
              + " characters from [A-Za-z0-9_-])");
    }
    if (e.getSequence() < 0) {
      throw invalid(id, "sequence " + e.getSequence() + " is negative");
    }
    if (e.getTimestamp() == null) {
      throw invalid(id, "timestamp is missing");
    }
    if (e.getKind() == null) {
      throw invalid(id, "kind is missing");
    }
    if (e.getEpoch() < 0) {
      throw invalid(id, "epoch " + e.getEpoch() + " is negative");
    }
    if (e.getStep() < 0) {
      throw invalid(id, "step " + e.getStep() + " is negative");
    }
    checkNamed(id, "metrics", e.getMetrics());
    checkNamed(id, "labels", e.getLabels());
  }

  private static void checkNamed(String id, String field, Map<String, ?> entries) {
    if (entries == null) {
      throw invalid(id, field + " is missing (use an empty map)");
    }
    entries.forEach(
        (name, value) -> {
          if (name == null || name.isEmpty()) {
            throw invalid(id, field + " has an empty name");
          }
          if (value == null) {
            throw invalid(id, field + " '" + name + "' has no value");
          }
        });
  }

  private static InvalidRecordException invalid(String id, String reason) {
    return new InvalidRecordException(Problem.INVALID_FIELD, id + ": " + reason);
  }
}
