package io.memoscope.trainer.train;

/**
 * The samples an epoch has trained so far: how many, and a digest of their sample indices that does
 * not depend on their order (a sum of well-mixed 64-bit hashes). Two tallies agree when the same
 * multiset of samples was trained, so a resumed run can prove that the batches it skips are the
 * ones the interrupted run trained, and an epoch can prove it saw every sample exactly once.
 *
 * @param samples samples trained
 * @param digest sum of {@link #mix} over their indices, modulo 2^64
 */
public record EpochTally(long samples, long digest) {

  public static final EpochTally EMPTY = new EpochTally(0, 0);

  /** The tally with a trained batch's sample indices added. */
  public EpochTally plus(long[] indices) {
    long sum = digest;
    for (long index : indices) {
      sum += mix(index);
    }
    return new EpochTally(samples + indices.length, sum);
  }

  /**
   * The tally of sample indices {@code 0 .. count-1}, each once: what a clean epoch of a fresh data
   * set trains.
   */
  public static EpochTally ofRange(long count) {
    long sum = 0;
    for (long index = 0; index < count; index++) {
      sum += mix(index);
    }
    return new EpochTally(count, sum);
  }

  /** The digest as 16 hex digits, for events and messages. */
  public String digestHex() {
    return String.format("%016x", digest);
  }

  /**
   * SplitMix64's finalizer: neighbouring indices get unrelated hashes, so sums of different sets
   * collide rarely.
   */
  static long mix(long value) {
    long z = value + 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
