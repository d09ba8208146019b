package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.TrainingEvent;

/** Reads {@link TrainingEvent} values; see {@link AvroDeserializer}. */
public final class TrainingEventDeserializer extends AvroDeserializer<TrainingEvent> {

  public TrainingEventDeserializer() {
    this(SerdeSettings.defaults());
  }

  public TrainingEventDeserializer(SerdeSettings settings) {
    super(Codecs::trainingEvent, settings);
  }
}
