package io.memoscope.ingest;

import java.util.List;

/**
 * A data set's topics after {@link Ingest#createTopics}: those it created and those that were
 * already there.
 */
public record CreatedTopics(String dataset, List<String> created, List<String> found) {

  public CreatedTopics {
    created = List.copyOf(created);
    found = List.copyOf(found);
  }

  /** The one line the launcher ends with. */
  public String line() {
    return "topics of "
        + dataset
        + ": created "
        + listed(created)
        + "; already there: "
        + listed(found)
        + "; no records written";
  }

  private static String listed(List<String> topics) {
    return topics.isEmpty() ? "none" : String.join(", ", topics);
  }
}
