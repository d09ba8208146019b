package io.memoscope.trainer.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * The sample indices one read of a split's range has accepted, so that a repeated index is spotted
 * in streaming order without keeping the records. A bitmap in pages of 4,096 indices (512 bytes
 * each), a page made when one of its indices first appears: a split indexed 0..N-1 costs about N/8
 * bytes (7.5 KiB for 60,000 samples, 160 KiB for 1.28 million); scattered indices cost at most one
 * page per record.
 */
final class SeenIndices {

  private static final int PAGE_BITS = 12;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;

  private final Map<Long, long[]> pages = new HashMap<>();

  /**
   * @return true if {@code index} (≥ 0) was not added before
   */
  boolean add(long index) {
    long[] page =
        pages.computeIfAbsent(index >>> PAGE_BITS, p -> new long[(PAGE_MASK + 1) / Long.SIZE]);
    int bit = (int) (index & PAGE_MASK);
    long mask = 1L << (bit & 63);
    int word = bit >>> 6;
    if ((page[word] & mask) != 0) {
      return false;
    }
    page[word] |= mask;
    return true;
  }
}
