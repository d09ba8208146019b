package io.memoscope.metrics;

import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.SampleEvaluation;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One evaluation of a run's subset, without the subset itself ({@link SampleSubset}): its step and
 * which samples the class head, each random-label head and each probe that ran predicted right.
 * What the service keeps per evaluation, so its size is what a run's state grows by: {@code (1 +
 * heads + probes) * ceil(n / 8)} bytes of bits for {@code n} samples at most, plus {@code 29 + 4 *
 * (1 + heads) + probes * (8 + id length)} bytes ({@link SampleHitsSerde}).
 *
 * <p>A {@link BitSet} has the layout of the record's bitsets ({@link
 * io.memoscope.protocol.SampleBits}: bit {@code i} in byte {@code i / 8}, least significant bit
 * first), so it is read from them without conversion. The bitsets are not copied and must not be
 * changed.
 *
 * @param step the run's step at the evaluation
 * @param epoch the epoch it belongs to
 * @param timestampMs when it was made, in milliseconds since the Unix epoch
 * @param classRight bit {@code i} set when the class head predicted sample {@code i}'s class
 * @param heads per head of the subset (same order), bit {@code i} set when the head predicted
 *     sample {@code i}'s random label
 * @param probes per probe that ran at this evaluation, by its id ({@link SampleSubset#probeId}),
 *     bit {@code i} set when the probe predicted sample {@code i}'s random label; empty at an
 *     evaluation without a probe
 */
public record SampleHits(
    long step,
    int epoch,
    long timestampMs,
    BitSet classRight,
    List<BitSet> heads,
    Map<String, BitSet> probes) {

  public SampleHits {
    heads = List.copyOf(heads);
    probes = Collections.unmodifiableMap(new LinkedHashMap<>(probes));
  }

  /**
   * The hits of {@code evaluation}, its heads in the record's order: the run's order, once {@link
   * SampleSubset#mismatch} has found nothing.
   */
  public static SampleHits of(SampleEvaluation evaluation) {
    return new SampleHits(
        evaluation.getStep(),
        evaluation.getEpoch(),
        evaluation.getTimestamp().toEpochMilli(),
        BitSet.valueOf(evaluation.getClassCorrect()),
        evaluation.getHeads().stream().map(HeadHits::getCorrect).map(BitSet::valueOf).toList(),
        evaluation.getProbes().stream()
            .collect(
                Collectors.toMap(
                    p -> SampleSubset.probeId(p.getHead()),
                    p -> BitSet.valueOf(p.getCorrect()),
                    (a, b) -> b,
                    LinkedHashMap::new)));
  }
}
