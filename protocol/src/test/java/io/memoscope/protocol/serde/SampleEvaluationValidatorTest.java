package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.SampleBits;
import io.memoscope.protocol.avro.HeadHits;
import io.memoscope.protocol.avro.SampleEvaluation;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The per-sample results' contract: sizes, bitsets and head ids, checked on both ends. */
class SampleEvaluationValidatorTest {

  private static final boolean[] CLASS = {true, false, true, true, false, false, true, true, true};
  private static final boolean[] HEAD = {
    false, false, false, false, false, false, false, false, true
  };

  @Test
  void aValidRecordRoundTripsAndItsBitsReadBack() {
    SampleEvaluation evaluation = valid();

    SampleEvaluation read =
        new SampleEvaluationDeserializer()
            .deserialize("t", new SampleEvaluationSerializer().serialize("t", evaluation));

    assertThat(read).isEqualTo(evaluation);
    assertThat(SampleBits.toArray(read.getClassCorrect(), CLASS.length)).isEqualTo(CLASS);
    assertThat(SampleBits.toArray(read.getHeads().get(0).getCorrect(), HEAD.length))
        .isEqualTo(HEAD);
    assertThat(read.getClassCorrect().remaining()).isEqualTo(2);
  }

  @Test
  void everyBrokenPartIsNamed() {
    assertInvalid(b -> b.setIndices(List.of()), "indices is empty");
    assertInvalid(
        b -> b.setIndices(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 7L)), "holds sample 7 twice");
    assertInvalid(b -> b.setClasses(List.of(1, 2)), "classes has 2 values for 9 samples");
    assertInvalid(
        b -> b.setClassCorrect(ByteBuffer.wrap(new byte[] {0, 2})),
        "classCorrect sets bit 9, beyond the last sample");
    assertInvalid(b -> b.setClassCorrect(ByteBuffer.wrap(new byte[1])), "classCorrect has 1 bytes");
    assertInvalid(
        b -> b.setHeads(List.of(head("penultimate/0"), head("penultimate/0"))),
        "head penultimate/0 is listed twice");
    assertInvalid(b -> b.setHeads(List.of(head("penultimate"))), "is not a head id");
    assertInvalid(b -> b.setOffsets(List.of(1L)), "offsets must hold one offset >= 0 per sample");
  }

  @Test
  void aProbedRecordRoundTripsAndItsProbesAreCheckedAsHeadsAre() {
    SampleEvaluation probed = probed(SampleEvaluation.newBuilder(valid())).build();
    new SampleEvaluationValidator().validate(probed);
    assertThat(
            new SampleEvaluationDeserializer()
                .deserialize("t", new SampleEvaluationSerializer().serialize("t", probed)))
        .isEqualTo(probed);

    assertInvalid(
        b -> probed(b).setProbeSamples(0), "probeSamples 0 must be 0 without probes, else from 2");
    assertInvalid(b -> probed(b).setProbeSamples(10), "probeSamples 10 must be 0 without probes");
    assertInvalid(b -> b.setProbeSamples(9), "probeSamples 9 must be 0 without probes");
    assertInvalid(
        b -> probed(b).setProbeSamples(8),
        "correct of probe penultimate/0 sets bit 8, beyond the samples probed");
    assertInvalid(
        b -> probed(b).setProbes(List.of(head("penultimate/0"), head("penultimate/0"))),
        "probe penultimate/0 is listed twice");
    assertInvalid(b -> probed(b).setProbes(List.of(head("probe"))), "is not a head id");
  }

  /** The valid record with a probe of its head's tap and labeling, fitted on all nine samples. */
  private static SampleEvaluation.Builder probed(SampleEvaluation.Builder builder) {
    return builder.setProbeSamples(9).setProbes(List.of(head("penultimate/0")));
  }

  private static void assertInvalid(
      UnaryOperator<SampleEvaluation.Builder> change, String problem) {
    SampleEvaluation broken = change.apply(SampleEvaluation.newBuilder(valid())).build();
    assertThatThrownBy(() -> new SampleEvaluationValidator().validate(broken))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("SampleEvaluation run-1@40: ")
        .hasMessageContaining(problem);
  }

  /** Nine samples, one head, no probe. */
  static SampleEvaluation valid() {
    return SampleEvaluation.newBuilder()
        .setRunId("run-1")
        .setStep(40)
        .setEpoch(2)
        .setTimestamp(Instant.ofEpochMilli(1_760_000_000_000L))
        .setIndices(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 9L))
        .setPartitions(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0))
        .setOffsets(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 9L))
        .setClasses(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8))
        .setClassCorrect(SampleBits.of(CLASS))
        .setHeads(List.of(head("penultimate/0")))
        .build();
  }

  private static HeadHits head(String id) {
    return new HeadHits(id, List.of(9, 8, 7, 6, 5, 4, 3, 2, 1), SampleBits.of(HEAD));
  }
}
