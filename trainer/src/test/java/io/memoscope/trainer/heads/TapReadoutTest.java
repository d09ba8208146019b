package io.memoscope.trainer.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.memoscope.trainer.net.HeadSpec;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.Readout;
import io.memoscope.trainer.net.Tap;
import io.memoscope.trainer.net.TrunkOptions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The equal-capacity readout: what it pools, how wide it reads, and the pooled alternative. */
class TapReadoutTest {

  @Test
  void everyTapOfSmallCnnGivesTheSameNumberOfFeaturesUnderTheEqualReadout() {
    assertThat(widths(Readout.EQUAL))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("block1", 128, "block2", 128, "penultimate", 128));
    assertThat(widths(Readout.POOLED))
        .containsExactlyInAnyOrderEntriesOf(Map.of("block1", 16, "block2", 32, "penultimate", 128));
  }

  @Test
  void theEqualReadoutsOfSmallCnnSayHowTheyRead() {
    MultiHeadModel model = model(Readout.EQUAL);
    assertThat(model.readout("block1").description())
        .isEqualTo("block1: 16×14×14, average-pooled to a 3×3 grid (144), projected to 128");
    assertThat(model.readout("block2").description())
        .isEqualTo("block2: 32×7×7, average-pooled to a 2×2 grid (128)");
    assertThat(model.readout("penultimate").description())
        .isEqualTo("penultimate: 128 units, read as they are");
  }

  @Test
  void aSpatialTapIsAverageOverItsGridCellsWhichOverlapWhenTheSizeDoesNotDivide() {
    Tap tap = new Tap("t", "t", true, 1);
    // 1 channel on 5×5 to 4 features: a 2×2 grid whose cells cover rows/columns [0, 3) and [2, 5)
    TapReadout readout = TapReadout.equal(tap, 1, 5, 5, 4, 1, DataType.DOUBLE);
    INDArray map = Nd4j.create(DataType.DOUBLE, 1, 1, 5, 5);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 5; x++) {
        map.putScalar(new long[] {0, 0, y, x}, 10 * y + x);
      }
    }

    INDArray read = readout.apply(map);

    assertThat(read.shape()).containsExactly(1, 4);
    assertThat(read.getDouble(0, 0)).isCloseTo(mean(0, 3, 0, 3), within(1e-12));
    assertThat(read.getDouble(0, 1)).isCloseTo(mean(0, 3, 2, 5), within(1e-12));
    assertThat(read.getDouble(0, 2)).isCloseTo(mean(2, 5, 0, 3), within(1e-12));
    assertThat(read.getDouble(0, 3)).isCloseTo(mean(2, 5, 2, 5), within(1e-12));
  }

  @Test
  void theProjectionIsFixedBySeedAndTapAndTheGradientGoesBackThroughItsTranspose() {
    Tap tap = new Tap("block1", "block1", true, 4);
    TapReadout a = TapReadout.equal(tap, 4, 6, 6, 10, 42, DataType.DOUBLE);
    TapReadout b = TapReadout.equal(tap, 4, 6, 6, 10, 42, DataType.DOUBLE);
    TapReadout other = TapReadout.equal(tap, 4, 6, 6, 10, 43, DataType.DOUBLE);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, 6, 6);
    INDArray g = Nd4j.rand(DataType.DOUBLE, 3, 10);

    assertThat(a.apply(x)).isEqualTo(b.apply(x));
    assertThat(a.apply(x)).isNotEqualTo(other.apply(x));
    // <R x, g> = <x, Rᵀ g>: backward is the adjoint of apply
    double forward = a.apply(x).mul(g).sumNumber().doubleValue();
    double backward = x.reshape(3, -1).mul(a.backward(g)).sumNumber().doubleValue();
    assertThat(backward).isCloseTo(forward, within(1e-9));
  }

  @Test
  void aTapTooSmallForTheWidthIsAClearError() {
    Tap tap = new Tap("tiny", "tiny", true, 2);
    assertThatThrownBy(() -> TapReadout.equal(tap, 2, 3, 3, 64, 1, DataType.FLOAT))
        .hasMessage(
            "tap tiny has only 18 features (2×3×3), fewer than heads.readout-width 64; set a smaller"
                + " heads.readout-width or heads.readout=pooled");
  }

  private static double mean(int y0, int y1, int x0, int x1) {
    double sum = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        sum += 10 * y + x;
      }
    }
    return sum / ((y1 - y0) * (x1 - x0));
  }

  private static Map<String, Integer> widths(Readout readout) {
    MultiHeadModel model = model(readout);
    return model.trunk().taps().stream()
        .collect(Collectors.toMap(Tap::name, tap -> model.readout(tap.name()).width()));
  }

  private static MultiHeadModel model(Readout readout) {
    return MultiHeadModel.create(
        new ModelSpec(
            "small-cnn",
            new InputShape(28, 28, 1),
            10,
            List.of(new HeadSpec("block1", 0, 10, 0, 0)),
            new TrunkOptions(0, true, 1),
            0,
            0,
            new Adam(1e-3),
            1,
            DataType.FLOAT,
            readout,
            0));
  }
}
