package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.TrainingEvent;

/** Writes {@link TrainingEvent} values; see {@link AvroSerializer}. */
public final class TrainingEventSerializer extends AvroSerializer<TrainingEvent> {

  public TrainingEventSerializer() {
    this(SerdeSettings.defaults());
  }

  public TrainingEventSerializer(SerdeSettings settings) {
    super(Codecs::trainingEvent, settings);
  }
}
