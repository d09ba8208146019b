package io.memoscope.trainer.train;

import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.net.InputShape;
import java.util.List;

/**
 * A data set held in memory: what the training loop runs on in tests and small experiments; the
 * streaming trainer feeds the same loop from Kafka.
 *
 * @param labelings random labelings every sample carries
 */
public record InMemoryData(
    List<SampleView> train,
    List<SampleView> test,
    InputShape shape,
    int numClasses,
    int randomClasses,
    int labelings) {

  public InMemoryData {
    train = List.copyOf(train);
    test = List.copyOf(test);
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training samples");
    }
  }
}
