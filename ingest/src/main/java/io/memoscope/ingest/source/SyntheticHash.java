package io.memoscope.ingest.source;

import io.memoscope.protocol.avro.Split;
import java.util.SplittableRandom;

/**
 * Seeds for the synthetic source. Every random choice comes from a {@link SplittableRandom} whose
 * seed hashes the seed option with the choice's coordinates, so any sample can be made on its own,
 * in any order, on any machine, with nothing remembered.
 */
final class SyntheticHash {

  /** Domain tags keep the three kinds of choices from sharing streams. */
  static final long PROTOTYPE = 1;

  static final long SAMPLE = 2;
  static final long LABEL = 3;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SyntheticHash() {}

  static SplittableRandom random(long... coordinates) {
    long h = GOLDEN;
    for (long c : coordinates) {
      h = mix(h ^ mix(c + GOLDEN));
    }
    return new SplittableRandom(h);
  }

  /** A fixed number per split, independent of the Avro enum's declaration order. */
  static long tag(Split split) {
    return switch (split) {
      case train -> 1;
      case test -> 2;
    };
  }

  /** SplitMix64's finalizer: a bijection that spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
