package io.memoscope.protocol.serde;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.labels.RandomLabels;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.util.List;

/**
 * The contract of an {@link ImageSample} that its schema cannot express: a valid data set name,
 * positive dimensions within {@link ImageLimits}, exactly height*width*channels pixel bytes, labels
 * within their ranges and, when asked to, random labels equal to {@link RandomLabels}.
 */
public final class ImageSampleValidator implements RecordValidator<ImageSample> {

  private final ImageLimits limits;
  private final boolean verifyRandomLabels;

  public ImageSampleValidator(ImageLimits limits, boolean verifyRandomLabels) {
    this.limits = limits;
    this.verifyRandomLabels = verifyRandomLabels;
  }

  @Override
  public void validate(ImageSample s) {
    String id = describe(s);
    if (!Topics.isValidDatasetName(s.getDataset())) {
      throw invalid(
          id,
          "dataset "
              + quote(s.getDataset())
              + " is not a valid data set name (1-64 characters from [a-z0-9_-], starting with a letter or digit)");
    }
    if (s.getSplit() == null) {
      throw invalid(id, "split is missing");
    }
    if (s.getIndex() < 0) {
      throw invalid(id, "index " + s.getIndex() + " is negative");
    }
    checkDimension(id, "height", s.getHeight(), limits.maxHeight(), ImageLimits.MAX_HEIGHT_CONFIG);
    checkDimension(id, "width", s.getWidth(), limits.maxWidth(), ImageLimits.MAX_WIDTH_CONFIG);
    checkDimension(
        id, "channels", s.getChannels(), limits.maxChannels(), ImageLimits.MAX_CHANNELS_CONFIG);
    checkPixels(id, s);
    if (s.getNumClasses() < 1) {
      throw invalid(id, "numClasses " + s.getNumClasses() + " is not >= 1");
    }
    if (s.getLabel() < 0 || s.getLabel() >= s.getNumClasses()) {
      throw invalid(
          id, "label " + s.getLabel() + " is outside [0, numClasses = " + s.getNumClasses() + ")");
    }
    checkRandomLabels(id, s);
  }

  private static void checkDimension(String id, String name, int value, int max, String configKey) {
    if (value < 1) {
      throw invalid(id, name + " " + value + " is not >= 1");
    }
    if (value > max) {
      throw invalid(
          id, name + " " + value + " exceeds the limit " + max + " (config " + configKey + ")");
    }
  }

  private static void checkPixels(String id, ImageSample s) {
    if (s.getPixels() == null) {
      throw invalid(id, "pixels are missing");
    }
    // long: the limits keep the product within int today, but a raised limit must not overflow.
    long expected = (long) s.getHeight() * s.getWidth() * s.getChannels();
    int actual = s.getPixels().remaining();
    if (actual != expected) {
      throw invalid(
          id,
          "pixels has "
              + actual
              + " bytes, expected height*width*channels = "
              + s.getHeight()
              + "*"
              + s.getWidth()
              + "*"
              + s.getChannels()
              + " = "
              + expected);
    }
  }

  private void checkRandomLabels(String id, ImageSample s) {
    int n = s.getRandomClasses();
    if (n < 1) {
      throw invalid(id, "randomClasses " + n + " is not >= 1");
    }
    List<Integer> labels = s.getRandomLabels();
    if (labels == null || labels.isEmpty()) {
      throw invalid(id, "randomLabels is empty; every sample carries at least one labeling");
    }
    for (int k = 0; k < labels.size(); k++) {
      Integer label = labels.get(k);
      if (label == null || label < 0 || label >= n) {
        throw invalid(
            id,
            "randomLabels[" + k + "] = " + label + " is outside [0, randomClasses = " + n + ")");
      }
      if (verifyRandomLabels) {
        int expected =
            RandomLabels.label(s.getLabelSeed(), s.getDataset(), s.getSplit(), s.getIndex(), k, n);
        if (label != expected) {
          throw invalid(
              id,
              "randomLabels["
                  + k
                  + "] = "
                  + label
                  + " but the random-label function gives "
                  + expected
                  + " for key "
                  + RandomLabels.key(
                      s.getLabelSeed(), s.getDataset(), s.getSplit(), s.getIndex(), k)
                  + " and n = "
                  + n
                  + " (config "
                  + SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG
                  + "=false skips this check)");
        }
      }
    }
  }

  private static String describe(ImageSample s) {
    return "ImageSample " + s.getDataset() + "/" + s.getSplit() + "#" + s.getIndex();
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  private static InvalidRecordException invalid(String id, String reason) {
    return new InvalidRecordException(Problem.INVALID_FIELD, id + ": " + reason);
  }
}
