package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.RunManifest;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link RunManifestSerializer} and {@link RunManifestDeserializer} as one Serde, e.g. for Kafka
 * Streams.
 */
public final class RunManifestSerde extends Serdes.WrapperSerde<RunManifest> {

  public RunManifestSerde() {
    this(SerdeSettings.defaults());
  }

  public RunManifestSerde(SerdeSettings settings) {
    super(new RunManifestSerializer(settings), new RunManifestDeserializer(settings));
  }
}
