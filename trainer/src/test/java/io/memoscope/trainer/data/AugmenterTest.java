package io.memoscope.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.trainer.config.AugmentationConfig;
import io.memoscope.trainer.data.Augmenter.Placement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmenterTest {

  private static final int H = 6;
  private static final int W = 5;
  private static final int C = 3;

  /** Every (y, x, c) has its own non-zero value, so any shift or mirror shows. */
  private static SampleView image(long index) {
    byte[] pixels = new byte[H * W * C];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i + 1);
    }
    return new SampleView(index, 1, new int[] {2}, pixels, H, W, C);
  }

  private static int at(SampleView s, int y, int x, int c) {
    return s.pixels()[(y * s.width() + x) * s.channels() + c] & 0xFF;
  }

  @Test
  void offIsTheIdentity() {
    Augmenter off = Augmenter.of(AugmentationConfig.defaults(), 42);
    SampleView sample = image(3);
    assertThat(off.enabled()).isFalse();
    assertThat(off.apply(sample, 7)).isSameAs(sample);
  }

  @Test
  void keepsShapeLabelsAndIndex() {
    SampleView out = new Augmenter(2, true, 42).apply(image(3), 1);
    assertThat(out.pixels()).hasSize(H * W * C);
    assertThat(out.height()).isEqualTo(H);
    assertThat(out.width()).isEqualTo(W);
    assertThat(out.channels()).isEqualTo(C);
    assertThat(out.index()).isEqualTo(3);
    assertThat(out.label()).isEqualTo(1);
    assertThat(out.randomLabels()).containsExactly(2);
  }

  @Test
  void sameSeedEpochAndIndexGiveTheSameImage() {
    Augmenter a = new Augmenter(4, true, 42);
    Augmenter b = new Augmenter(4, true, 42);
    Set<Placement> byEpoch = new HashSet<>();
    for (long epoch = 0; epoch < 20; epoch++) {
      assertThat(b.apply(image(11), epoch).pixels()).isEqualTo(a.apply(image(11), epoch).pixels());
      byEpoch.add(a.placement(11, epoch));
    }
    assertThat(byEpoch)
        .as("a sample is augmented differently from epoch to epoch")
        .hasSizeGreaterThan(10);
    assertThat(new Augmenter(4, true, 43).placement(11, 0)).isNotEqualTo(a.placement(11, 0));
  }

  @Test
  void flipAloneMirrorsAboutHalfTheSamples() {
    Augmenter flip = new Augmenter(0, true, 42);
    int mirrored = 0;
    for (long index = 0; index < 400; index++) {
      SampleView in = image(index);
      SampleView out = flip.apply(in, 0);
      boolean isMirror = flip.placement(index, 0).flip();
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          for (int c = 0; c < C; c++) {
            assertThat(at(out, y, x, c)).isEqualTo(at(in, y, isMirror ? W - 1 - x : x, c));
          }
        }
      }
      mirrored += isMirror ? 1 : 0;
    }
    assertThat(mirrored).isBetween(160, 240);
  }

  @Test
  void cropShiftsContentAndFillsWithZeros() {
    int p = 2;
    Augmenter crop = new Augmenter(p, false, 42);
    Set<String> offsets = new HashSet<>();
    for (long index = 0; index < 200; index++) {
      SampleView in = image(index);
      SampleView out = crop.apply(in, 3);
      Placement placement = crop.placement(index, 3);
      assertThat(placement.flip()).isFalse();
      assertThat(placement.dy()).isBetween(0, 2 * p);
      assertThat(placement.dx()).isBetween(0, 2 * p);
      offsets.add(placement.dy() + "," + placement.dx());
      int sy = placement.dy() - p;
      int sx = placement.dx() - p;
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          boolean inside = y + sy >= 0 && y + sy < H && x + sx >= 0 && x + sx < W;
          for (int c = 0; c < C; c++) {
            assertThat(at(out, y, x, c)).isEqualTo(inside ? at(in, y + sy, x + sx, c) : 0);
          }
        }
      }
    }
    assertThat(offsets).as("all (2p+1)^2 offsets occur").hasSize(25);
  }

  @Test
  void aCentredUnflippedCropIsACopy() {
    Augmenter crop = new Augmenter(1, false, 42);
    for (long index = 0; index < 100; index++) {
      Placement placement = crop.placement(index, 0);
      if (placement.dy() == 1 && placement.dx() == 1) {
        assertThat(crop.apply(image(index), 0).pixels()).isEqualTo(image(index).pixels());
        return;
      }
    }
    throw new AssertionError("no centred crop among 100 samples");
  }
}
