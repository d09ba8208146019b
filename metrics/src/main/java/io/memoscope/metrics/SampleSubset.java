package io.memoscope.metrics;

import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.SampleEvaluation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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
 */
public record SampleSubset(
    long[] indices,
    int[] partitions,
    long[] offsets,
    int[] classes,
    List<String> heads,
    List<int[]> randomLabels) {

  public SampleSubset {
    heads = List.copyOf(heads);
    randomLabels = List.copyOf(randomLabels);
  }

  /** The subset {@code evaluation} scores. */
  public static SampleSubset of(SampleEvaluation evaluation) {
    List<HeadHits> heads = evaluation.getHeads();
    return new SampleSubset(
        evaluation.getIndices().stream().mapToLong(Long::longValue).toArray(),
        evaluation.getPartitions().stream().mapToInt(Integer::intValue).toArray(),
        evaluation.getOffsets().stream().mapToLong(Long::longValue).toArray(),
        evaluation.getClasses().stream().mapToInt(Integer::intValue).toArray(),
        heads.stream().map(HeadHits::getHead).toList(),
        heads.stream()
            .map(h -> h.getRandomLabels().stream().mapToInt(Integer::intValue).toArray())
            .toList());
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
