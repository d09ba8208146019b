package io.memoscope.protocol.serde;

import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The contract of a {@link RunManifest}: valid run id and data set, at least one topic range, each
 * range a legal topic and partition with 0 &lt;= startOffset &lt;= endOffset, no partition twice.
 */
public final class RunManifestValidator implements RecordValidator<RunManifest> {

  @Override
  public void validate(RunManifest m) {
    String id = "RunManifest " + m.getRunId();
    if (!RunIds.isValid(m.getRunId())) {
      throw invalid(
          id,
          "runId is not a valid run id (1-"
              + RunIds.MAX_LENGTH
              + " characters from [A-Za-z0-9_-])");
    }
    if (!Topics.isValidDatasetName(m.getDataset())) {
      throw invalid(id, "dataset '" + m.getDataset() + "' is not a valid data set name");
    }
    if (m.getTopics() == null || m.getTopics().isEmpty()) {
      throw invalid(id, "topics is empty; a run reads at least one partition");
    }
    Set<String> seen = new HashSet<>();
    for (TopicRange range : m.getTopics()) {
      checkRange(id, range);
      if (!seen.add(range.getTopic() + "/" + range.getPartition())) {
        throw invalid(
            id, "partition " + range.getTopic() + "/" + range.getPartition() + " is listed twice");
      }
    }
    checkEntries(id, "seeds", m.getSeeds());
    checkEntries(id, "config", m.getConfig());
    if (m.getCodeVersion() == null || m.getCodeVersion().isBlank()) {
      throw invalid(id, "codeVersion is empty");
    }
    if (m.getCreatedAt() == null) {
      throw invalid(id, "createdAt is missing");
    }
  }

  private static void checkRange(String id, TopicRange r) {
    if (r == null) {
      throw invalid(id, "topics contains null");
    }
    String where = r.getTopic() + "/" + r.getPartition();
    if (!Topics.isValidTopicName(r.getTopic())) {
      throw invalid(id, "topic '" + r.getTopic() + "' is not a legal Kafka topic name");
    }
    if (r.getPartition() < 0) {
      throw invalid(id, where + ": partition is negative");
    }
    if (r.getStartOffset() < 0 || r.getEndOffset() < r.getStartOffset()) {
      throw invalid(
          id,
          where
              + ": offsets ["
              + r.getStartOffset()
              + ", "
              + r.getEndOffset()
              + ") are not a range with 0 <= startOffset <= endOffset");
    }
  }

  private static void checkEntries(String id, String field, Map<String, ?> entries) {
    if (entries == null) {
      throw invalid(id, field + " is missing (use an empty map)");
    }
    entries.forEach(
        (key, value) -> {
          if (key == null || value == null) {
            throw invalid(id, field + " has a null entry " + key + "=" + value);
          }
        });
  }

  private static InvalidRecordException invalid(String id, String reason) {
    return new InvalidRecordException(Problem.INVALID_FIELD, id + ": " + reason);
  }
}
