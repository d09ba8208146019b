package io.memoscope.protocol;

import java.util.regex.Pattern;

/**
 * The rule for run ids: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_-]}.
 *
 * <p>A run id is a Kafka key, a Prometheus label value and a directory name for checkpoints, so it
 * avoids every character that is special in one of those (no dots, so neither "." nor ".." can name
 * a directory).
 */
public final class RunIds {

  public static final int MAX_LENGTH = 128;

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]+");

  private RunIds() {}

  public static boolean isValid(String runId) {
    return runId != null && runId.length() <= MAX_LENGTH && RUN_ID.matcher(runId).matches();
  }

  /** Returns {@code runId} if valid, else throws IllegalArgumentException. */
  public static String validate(String runId) {
    if (!isValid(runId)) {
      throw new IllegalArgumentException(
          "invalid run id "
              + Topics.quote(runId)
              + ": expected 1 to "
              + MAX_LENGTH
              + " characters from [A-Za-z0-9_-]");
    }
    return runId;
  }
}
