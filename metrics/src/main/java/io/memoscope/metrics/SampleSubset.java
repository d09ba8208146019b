package io.memoscope.metrics;

import io.memoscope.protocol.SampleBits;
import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.SampleEvaluation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A run's evaluation subset as its first {@link SampleEvaluation} fixes it: which samples (their
 * ImageSample index, where their record is, their class) and which random-label heads (each with
 * its random label of every sample). Every later evaluation of the run scores the same samples with
 * the same heads; one that does not is refused ({@link #mismatch}) rather than mixed in.
 *
 * <p>Position {@code i} in every array is sample {@code i} of the subset, the bit {@code i} of the
 * evaluations' bitsets. The arrays are not copied and must not be changed.
 *
 * @param indices the ImageSample index of each sample
 * @param partitions the partition of {@code samples.<dataset>.train} holding each sample's record
 * @param offsets the offset of each sample's record in its partition
 * @param classes the true class of each sample
 * @param heads the head ids ({@code tap/labeling}), in the run's head order
 * @param randomLabels per head (same order), the random label of each sample
 * @param probes the ids ({@link #probeId}) of the probes the run's evaluations have had so far, in
 *     the order they first appeared: a run probes only every {@code probe.every} evaluations, so
 *     they are learnt as they come ({@link #learnProbes}), not fixed by the first evaluation
 * @param probeRandomLabels per probe (same order), the random label of each sample
 */
public record SampleSubset(
    long[] indices,
    int[] partitions,
    long[] offsets,
    int[] classes,
    List<String> heads,
    List<int[]> randomLabels,
    List<String> probes,
    List<int[]> probeRandomLabels) {

  /**
   * What a probe's id starts with, so that the probe of a tap and labeling never shares an id with
   * the co-trained head of the same place.
   */
  public static final String PROBE_PREFIX = "probe:";

  public SampleSubset {
    heads = List.copyOf(heads);
    randomLabels = List.copyOf(randomLabels);
    probes = List.copyOf(probes);
    probeRandomLabels = List.copyOf(probeRandomLabels);
  }

  /** The id of the probe of {@code head}'s tap and labeling, e.g. {@code probe:penultimate/0}. */
  public static String probeId(String head) {
    return PROBE_PREFIX + head;
  }

  /** The subset {@code evaluation} scores, with the probes it has. */
  public static SampleSubset of(SampleEvaluation evaluation) {
    List<HeadHits> heads = evaluation.getHeads();
    List<HeadHits> probes = evaluation.getProbes();
    return new SampleSubset(
        evaluation.getIndices().stream().mapToLong(Long::longValue).toArray(),
        evaluation.getPartitions().stream().mapToInt(Integer::intValue).toArray(),
        evaluation.getOffsets().stream().mapToLong(Long::longValue).toArray(),
        evaluation.getClasses().stream().mapToInt(Integer::intValue).toArray(),
        heads.stream().map(HeadHits::getHead).toList(),
        labels(heads),
        probes.stream().map(p -> probeId(p.getHead())).toList(),
        labels(probes));
  }

  private static List<int[]> labels(List<HeadHits> heads) {
    return heads.stream()
        .map(h -> h.getRandomLabels().stream().mapToInt(Integer::intValue).toArray())
        .toList();
  }

  /**
   * {@code subset}, the record that fixes a run's subset, with the probes of {@code evaluation}
   * that it does not have yet added (their bits cleared: only their ids and random labels count);
   * {@code subset} itself when there are none.
   */
  public static SampleEvaluation learnProbes(SampleEvaluation subset, SampleEvaluation evaluation) {
    Set<String> known =
        subset.getProbes().stream().map(HeadHits::getHead).collect(Collectors.toSet());
    List<HeadHits> added =
        evaluation.getProbes().stream().filter(p -> !known.contains(p.getHead())).toList();
    if (added.isEmpty()) {
      return subset;
    }
    List<HeadHits> probes = new ArrayList<>(subset.getProbes());
    int bytes = SampleBits.bytesFor(subset.getIndices().size());
    added.forEach(
        p ->
            probes.add(
                new HeadHits(p.getHead(), p.getRandomLabels(), ByteBuffer.wrap(new byte[bytes]))));
    return SampleEvaluation.newBuilder(subset)
        .setProbes(probes)
        .setProbeSamples(
            subset.getProbes().isEmpty() ? evaluation.getProbeSamples() : subset.getProbeSamples())
        .build();
  }

  /** Every id a sample can be looked at by: the heads', then the probes'. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>(heads);
    ids.addAll(probes);
    return ids;
  }

  /** The random label of each sample for head or probe {@code id}, if the run has it. */
  public Optional<int[]> randomLabels(String id) {
    int head = heads.indexOf(id);
    if (head >= 0) {
      return Optional.of(randomLabels.get(head));
    }
    int probe = probes.indexOf(id);
    return probe < 0 ? Optional.empty() : Optional.of(probeRandomLabels.get(probe));
  }

  /** Samples in the subset. */
  public int size() {
    return indices.length;
  }

  /**
   * The subset position of the sample with ImageSample index {@code index}, if it is in the subset.
   * A linear scan: it runs once per request about one sample, over at most some 10,000 samples.
   */
  public OptionalInt position(long index) {
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] == index) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** The position of {@code head} in {@link #heads}, if the run has it. */
  public OptionalInt headPosition(String head) {
    int position = heads.indexOf(head);
    return position < 0 ? OptionalInt.empty() : OptionalInt.of(position);
  }

  /**
   * Why {@code evaluation} cannot be one of this subset's evaluations (other samples, or other
   * heads), or empty when it scores the same samples with the same heads.
   */
  public Optional<String> mismatch(SampleEvaluation evaluation) {
    List<Long> other = evaluation.getIndices();
    if (other.size() != indices.length) {
      return Optional.of(
          "it scores " + other.size() + " samples, the run's subset has " + indices.length);
    }
    for (int i = 0; i < indices.length; i++) {
      if (other.get(i) != indices[i]) {
        return Optional.of(
            "its sample " + i + " is index " + other.get(i) + ", the subset's is " + indices[i]);
      }
    }
    List<String> otherHeads = evaluation.getHeads().stream().map(HeadHits::getHead).toList();
    if (!otherHeads.equals(heads)) {
      return Optional.of("its heads are " + otherHeads + ", the run's are " + heads);
    }
    return Optional.empty();
  }
}
