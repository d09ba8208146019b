package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.TrainingEvent;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link TrainingEventSerializer} and {@link TrainingEventDeserializer} as one Serde, e.g. for
 * Kafka Streams.
 */
public final class TrainingEventSerde extends Serdes.WrapperSerde<TrainingEvent> {

  public TrainingEventSerde() {
    this(SerdeSettings.defaults());
  }

  public TrainingEventSerde(SerdeSettings settings) {
    super(new TrainingEventSerializer(settings), new TrainingEventDeserializer(settings));
  }
}
