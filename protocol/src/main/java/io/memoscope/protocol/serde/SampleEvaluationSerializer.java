package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.SampleEvaluation;

/** Writes {@link SampleEvaluation} values; see {@link AvroSerializer}. */
public final class SampleEvaluationSerializer extends AvroSerializer<SampleEvaluation> {

  public SampleEvaluationSerializer() {
    this(SerdeSettings.defaults());
  }

  public SampleEvaluationSerializer(SerdeSettings settings) {
    super(Codecs::sampleEvaluation, settings);
  }
}
