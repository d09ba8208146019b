package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.SampleEvaluation;

/** Reads {@link SampleEvaluation} values; see {@link AvroDeserializer}. */
public final class SampleEvaluationDeserializer extends AvroDeserializer<SampleEvaluation> {

  public SampleEvaluationDeserializer() {
    this(SerdeSettings.defaults());
  }

  public SampleEvaluationDeserializer(SerdeSettings settings) {
    super(Codecs::sampleEvaluation, settings);
  }
}
