package io.memoscope.trainer.net;

/**
 * How random-label heads and probes read a tap (docs/trainer.md, "Equal-capacity taps").
 *
 * <ul>
 *   <li>{@code EQUAL}: the same number of features at every tap — a spatial tap average-pooled to
 *       the smallest grid that gives at least that many, then every tap projected to that width by
 *       a fixed, seeded random matrix (identity where the widths already match). Depth is then not
 *       confounded with the width of a head's input.
 *   <li>{@code POOLED}: a spatial tap's global average, one feature per channel (the readout of
 *       earlier versions: block1 of small-cnn gives 16 features, penultimate 128).
 * </ul>
 */
public enum Readout {
  EQUAL,
  POOLED
}
