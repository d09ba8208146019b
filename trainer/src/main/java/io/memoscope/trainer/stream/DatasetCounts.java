package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.Split;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the sample counts a data set's {@link DatasetInfo} announces with the committed records
 * of the run's ranges. A difference does not stop the run (it trains on what the ranges hold, and
 * the manifest records exactly that), but it usually means a producer that is still writing, wrote
 * twice, or announced the wrong number: one warning line per split says so.
 */
final class DatasetCounts {

  private static final Logger log = LoggerFactory.getLogger(DatasetCounts.class);

  private DatasetCounts() {}

  /**
   * @param committed committed records in the run's range of {@code samples.<dataset>.<split>}
   * @return true if the announced count equals {@code committed}
   */
  static boolean check(DatasetInfo info, Split split, long committed) {
    long announced = split == Split.train ? info.getTrainCount() : info.getTestCount();
    if (announced == committed) {
      return true;
    }
    log.warn(
        "data set {}: DatasetInfo.{}Count is {} but the run's range of {} holds {} committed records;"
            + " the run reads those",
        info.getName(),
        split,
        announced,
        Topics.samples(info.getName(), split),
        committed);
    return false;
  }
}
