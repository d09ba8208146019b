package io.memoscope.trainer.heads;

import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.TrunkOptions;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** Small model specs for tests. */
final class Specs {

  private Specs() {}

  static ModelSpec smallCnn(
      int size, List<HeadSpec> heads, TrunkOptions trunk, IUpdater updater, DataType dataType) {
    return new ModelSpec(
        "small-cnn", new InputShape(size, size, 1), 10, heads, trunk, 0, 0, updater, 7, dataType);
  }

  static ModelSpec smallCnn(int size, List<HeadSpec> heads) {
    return smallCnn(size, heads, new TrunkOptions(0, true, 0.5), new Adam(1e-2), DataType.FLOAT);
  }

  static HeadSpec head(String tap, double lambda) {
    return new HeadSpec(tap, 0, 10, lambda, 0);
  }
}
