package io.memoscope.trainer.train;

import io.memoscope.protocol.EventLabels;
import io.memoscope.protocol.EventMetricNames;

/**
 * The first thing in a run that became NaN or infinite.
 *
 * @param step the optimizer step after which it was seen
 * @param term what: {@link EventMetricNames#TERM_CLASS}, {@link EventMetricNames#TERM_RANDOM},
 *     {@link EventMetricNames#TERM_REGULARIZER} or {@link EventMetricNames#TERM_PARAMETERS}
 * @param head the random-label head whose term or parameters it is; null for the class loss and the
 *     shared network's parameters
 * @param value the loss (NaN or ±∞); NaN for parameters
 * @param stops whether the run stops for it ({@code on-divergence: stop}) or trains on
 */
public record Divergence(long step, String term, String head, double value, boolean stops) {

  /** One line for a person: {@code step 12: the class loss is NaN}. */
  public String describe() {
    String what =
        switch (term) {
          case EventLabels.TERM_CLASS -> "the class loss is " + value;
          case EventLabels.TERM_RANDOM -> "the random-label loss of head " + head + " is " + value;
          case EventLabels.TERM_REGULARIZER -> "the regularizer of head " + head + " is " + value;
          default ->
              (head == null ? "the network's" : "head " + head + "'s")
                  + " parameters hold NaN or infinite values";
        };
    return "step " + step + ": " + what;
  }
}
