package io.memoscope.protocol.serde;

import io.memoscope.protocol.HeadId;
import io.memoscope.protocol.RunIds;
import io.memoscope.protocol.SampleBits;
import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contract of a {@link SampleEvaluation}: valid run id, a subset with each index once, one
 * class and one random label per sample, bitsets of exactly the subset's size with no bit beyond
 * it, and each head once under a valid head id; the same for each probe, whose bits stop at the
 * samples it was fitted on.
 */
public final class SampleEvaluationValidator implements RecordValidator<SampleEvaluation> {

  @Override
  public void validate(SampleEvaluation e) {
    String id = "SampleEvaluation " + e.getRunId() + "@" + e.getStep();
    if (!RunIds.isValid(e.getRunId())) {
      throw invalid(id, "runId is not a valid run id");
    }
    if (e.getStep() < 0) {
      throw invalid(id, "step " + e.getStep() + " is negative");
    }
    if (e.getEpoch() < 1) {
      throw invalid(id, "epoch " + e.getEpoch() + " is below 1");
    }
    if (e.getTimestamp() == null) {
      throw invalid(id, "timestamp is missing");
    }
    int n = e.getIndices().size();
    if (n == 0) {
      throw invalid(id, "indices is empty");
    }
    Set<Long> seen = new HashSet<>();
    for (Long index : e.getIndices()) {
      if (index == null || index < 0) {
        throw invalid(id, "indices holds " + index + ", not a sample index");
      }
      if (!seen.add(index)) {
        throw invalid(id, "indices holds sample " + index + " twice");
      }
    }
    checkSize(id, "classes", e.getClasses(), n);
    checkSize(id, "partitions", e.getPartitions(), n);
    if (e.getOffsets().size() != n || e.getOffsets().stream().anyMatch(o -> o == null || o < 0)) {
      throw invalid(id, "offsets must hold one offset >= 0 per sample");
    }
    checkBits(id, "classCorrect", e.getClassCorrect(), n);
    checkHits(id, "head", e.getHeads(), n, n);
    int probed = e.getProbeSamples();
    if (e.getProbes().isEmpty() ? probed != 0 : probed < 2 || probed > n) {
      throw invalid(
          id,
          "probeSamples "
              + probed
              + " must be 0 without probes, else from 2 to the "
              + n
              + " samples");
    }
    checkHits(id, "probe", e.getProbes(), n, probed);
  }

  /**
   * Each entry once under a valid head id, labels for every sample, bits for the first {@code hit}.
   */
  private static void checkHits(String id, String what, List<HeadHits> all, int n, int hit) {
    Set<String> ids = new HashSet<>();
    for (HeadHits head : all) {
      try {
        HeadId.parse(head.getHead());
      } catch (IllegalArgumentException notAHead) {
        throw invalid(id, notAHead.getMessage());
      }
      if (!ids.add(head.getHead())) {
        throw invalid(id, what + " " + head.getHead() + " is listed twice");
      }
      checkSize(id, "randomLabels of " + what + " " + head.getHead(), head.getRandomLabels(), n);
      checkBits(id, "correct of " + what + " " + head.getHead(), head.getCorrect(), n, hit);
    }
  }

  private static void checkSize(String id, String field, List<Integer> values, int n) {
    if (values.size() != n) {
      throw invalid(id, field + " has " + values.size() + " values for " + n + " samples");
    }
    for (Integer value : values) {
      if (value == null || value < 0) {
        throw invalid(id, field + " holds " + value + ", not a label");
      }
    }
  }

  private static void checkBits(String id, String field, ByteBuffer bits, int n) {
    checkBits(id, field, bits, n, n);
  }

  /** {@code n} samples' bytes, no bit set from {@code hit} on. */
  private static void checkBits(String id, String field, ByteBuffer bits, int n, int hit) {
    if (bits.remaining() != SampleBits.bytesFor(n)) {
      throw invalid(
          id,
          field
              + " has "
              + bits.remaining()
              + " bytes; "
              + n
              + " samples take "
              + SampleBits.bytesFor(n));
    }
    for (int i = hit; i < bits.remaining() * 8; i++) {
      if (SampleBits.get(bits, i)) {
        throw invalid(
            id,
            field
                + " sets bit "
                + i
                + (i < n ? ", beyond the samples probed" : ", beyond the last sample"));
      }
    }
  }

  private static InvalidRecordException invalid(String id, String reason) {
    return new InvalidRecordException(Problem.INVALID_FIELD, id + ": " + reason);
  }
}
