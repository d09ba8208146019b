package io.memoscope.protocol;

import java.nio.ByteBuffer;

/**
 * The bitsets of a {@link io.memoscope.protocol.avro.SampleEvaluation}: bit i of sample i is in
 * byte i / 8 at position i % 8, least significant bit first; {@code ceil(n / 8)} bytes for n
 * samples, the bits after the last sample 0.
 */
public final class SampleBits {

  private SampleBits() {}

  /** The bitset of {@code set}: bit i set where {@code set[i]}. */
  public static ByteBuffer of(boolean[] set) {
    byte[] bytes = new byte[bytesFor(set.length)];
    for (int i = 0; i < set.length; i++) {
      if (set[i]) {
        bytes[i >>> 3] |= (byte) (1 << (i & 7));
      }
    }
    return ByteBuffer.wrap(bytes);
  }

  /** Whether bit {@code i} is set; the buffer's position is not moved. */
  public static boolean get(ByteBuffer bits, int i) {
    return (bits.get(bits.position() + (i >>> 3)) & (1 << (i & 7))) != 0;
  }

  /** The bits of the first {@code n} samples. */
  public static boolean[] toArray(ByteBuffer bits, int n) {
    boolean[] set = new boolean[n];
    for (int i = 0; i < n; i++) {
      set[i] = get(bits, i);
    }
    return set;
  }

  /** Bytes a bitset of {@code n} samples takes. */
  public static int bytesFor(int n) {
    return (n + 7) >>> 3;
  }
}
