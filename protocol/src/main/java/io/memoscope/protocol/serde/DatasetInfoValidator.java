package io.memoscope.protocol.serde;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.util.Objects;

/**
 * The contract of a {@link DatasetInfo}: valid name, classes, dimensions, counts and label
 * settings.
 */
public final class DatasetInfoValidator implements RecordValidator<DatasetInfo> {

  private final ImageLimits limits;

  public DatasetInfoValidator(ImageLimits limits) {
    this.limits = limits;
  }

  @Override
  public void validate(DatasetInfo d) {
    String id = "DatasetInfo " + d.getName();
    if (!Topics.isValidDatasetName(d.getName())) {
      throw invalid(
          id,
          "name is not a valid data set name (1-64 characters from [a-z0-9_-], starting with a letter or digit)");
    }
    if (d.getClassNames() == null || d.getClassNames().isEmpty()) {
      throw invalid(id, "classNames is empty; a data set has at least one class");
    }
    if (d.getClassNames().stream().anyMatch(Objects::isNull)) {
      throw invalid(id, "classNames contains null");
    }
    checkDimension(id, "height", d.getHeight(), limits.maxHeight());
    checkDimension(id, "width", d.getWidth(), limits.maxWidth());
    checkDimension(id, "channels", d.getChannels(), limits.maxChannels());
    if (d.getTrainCount() < 0 || d.getTestCount() < 0) {
      throw invalid(
          id,
          "counts must be >= 0, got trainCount "
              + d.getTrainCount()
              + ", testCount "
              + d.getTestCount());
    }
    if (d.getRandomClasses() < 1) {
      throw invalid(id, "randomClasses " + d.getRandomClasses() + " is not >= 1");
    }
    if (d.getLabelings() < 1) {
      throw invalid(id, "labelings " + d.getLabelings() + " is not >= 1");
    }
    if (d.getCreatedAt() == null) {
      throw invalid(id, "createdAt is missing");
    }
  }

  private static void checkDimension(String id, String name, int value, int max) {
    if (value < 1 || value > max) {
      throw invalid(id, name + " " + value + " is outside [1, " + max + "]");
    }
  }

  private static InvalidRecordException invalid(String id, String reason) {
    return new InvalidRecordException(Problem.INVALID_FIELD, id + ": " + reason);
  }
}
