package io.memoscope.protocol;

import java.util.Map;

/**
 * The name of one random-label head (and of the probe at the same place): the tap it reads and the
 * labeling it predicts, written {@code tap/labeling}, e.g. {@code penultimate/0}. The trainer names
 * heads with it in events, checkpoints and summaries; the metrics service and the reports read it
 * back with {@link #parse}.
 *
 * @param tap the tap's name (may itself contain a slash: the labeling is after the last one)
 * @param labeling the 0-based random labeling
 */
public record HeadId(String tap, int labeling) {

  public HeadId {
    if (tap == null || tap.isEmpty()) {
      throw new IllegalArgumentException("a head id needs a tap");
    }
    if (labeling < 0) {
      throw new IllegalArgumentException("labeling must be >= 0, not " + labeling);
    }
  }

  /** {@code tap/labeling}. */
  public String id() {
    return tap + "/" + labeling;
  }

  @Override
  public String toString() {
    return id();
  }

  /**
   * The head named {@code id}.
   *
   * @throws IllegalArgumentException if {@code id} is not {@code tap/labeling}
   */
  public static HeadId parse(String id) {
    int slash = id.lastIndexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("'" + id + "' is not a head id (tap/labeling)");
    }
    try {
      return new HeadId(id.substring(0, slash), Integer.parseInt(id.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + id + "' is not a head id (tap/labeling): the labeling is not a number");
    }
  }

  /** The labels an event about this head carries: head, tap and labeling ({@link EventLabels}). */
  public Map<String, String> labels() {
    return Map.of(
        EventLabels.HEAD,
        id(),
        EventLabels.TAP,
        tap,
        EventLabels.LABELING,
        Integer.toString(labeling));
  }
}
