package io.memoscope.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.trainer.net.InputShape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchAssemblerTest {

  private static final InputShape SHAPE = new InputShape(2, 3, 2);

  /** Pixel (y, x, c) holds 100·c + 10·y + x + index, so the layout can be read back. */
  static SampleView sample(long index, int label, int... randomLabels) {
    byte[] pixels = new byte[2 * 3 * 2];
    for (int y = 0, i = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 2; c++, i++) {
          pixels[i] = (byte) (100 * c + 10 * y + x + index);
        }
      }
    }
    return new SampleView(index, label, randomLabels, pixels, 2, 3, 2);
  }

  @Test
  void hwcBytesBecomeNchwFloatsInZeroOne() {
    Batch batch =
        new BatchAssembler(SHAPE, 4, 10, 2)
            .assemble(List.of(sample(0, 3, 7, 1), sample(5, 0, 2, 9)));
    assertThat(batch.features().shape()).containsExactly(2, 2, 2, 3);
    assertThat(batch.features().dataType()).isEqualTo(DataType.FLOAT);
    for (int b = 0; b < 2; b++) {
      long index = batch.indices()[b];
      for (int c = 0; c < 2; c++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 3; x++) {
            assertThat(batch.features().getFloat(b, c, y, x))
                .isEqualTo((100 * c + 10 * y + x + index) / 255f);
          }
        }
      }
    }
    assertThat(batch.indices()).containsExactly(0, 5);
    assertThat(batch.size()).isEqualTo(2);
  }

  @Test
  void labelsAreOneHot() {
    Batch batch =
        new BatchAssembler(SHAPE, 4, 10, 2)
            .assemble(List.of(sample(0, 3, 7, 1), sample(5, 0, 2, 9)));
    assertThat(batch.labels().shape()).containsExactly(2, 4);
    assertThat(batch.labels().toFloatMatrix())
        .isEqualTo(new float[][] {{0, 0, 0, 1}, {1, 0, 0, 0}});
    assertThat(batch.labelings()).isEqualTo(2);
    INDArray first = batch.randomLabels().get(0);
    assertThat(first.shape()).containsExactly(2, 10);
    assertThat(first.argMax(1).toLongVector()).containsExactly(7, 2);
    assertThat(first.sum(1).toFloatVector()).containsExactly(1, 1);
    assertThat(batch.randomLabels().get(1).argMax(1).toLongVector()).containsExactly(1, 9);
  }

  @Test
  void usesTheFirstKLabelingsAndTheRequestedType() {
    Batch batch =
        new BatchAssembler(SHAPE, 4, 10, 1, DataType.DOUBLE)
            .assemble(List.of(sample(1, 1, 4, 5, 6)));
    assertThat(batch.labelings()).isEqualTo(1);
    assertThat(batch.features().dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(batch.labels().dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(batch.features().getDouble(0, 1, 1, 2)).isEqualTo((double) (113 / 255f));
  }

  @Test
  void rejectsSamplesThatDoNotFitNamingThem() {
    BatchAssembler assembler = new BatchAssembler(SHAPE, 4, 10, 2);
    assertThatThrownBy(() -> assembler.assemble(List.of(sample(8, 4, 0, 0))))
        .hasMessage("sample 8: label 4 is outside [0, 4)");
    assertThatThrownBy(() -> assembler.assemble(List.of(sample(9, 0, 10, 0))))
        .hasMessage("sample 9: random label 10 of labeling 0 is outside [0, 10)");
    assertThatThrownBy(() -> assembler.assemble(List.of(sample(3, 0, 1))))
        .hasMessage("sample 3 has 1 random labelings, the heads need 2");
    SampleView wrongShape = new SampleView(4, 0, new int[] {0, 0}, new byte[12], 3, 2, 2);
    assertThatThrownBy(() -> assembler.assemble(List.of(wrongShape)))
        .hasMessage("sample 4 is 3x2x2, the batch 2x3x2");
    assertThatThrownBy(() -> assembler.assemble(List.of()))
        .hasMessage("a batch needs at least one sample");
  }

  @Test
  void sampleViewChecksItsPixelCount() {
    assertThatThrownBy(() -> new SampleView(2, 0, new int[0], new byte[5], 2, 3, 1))
        .hasMessage("sample 2: expected 6 pixel bytes, not 5");
  }
}
