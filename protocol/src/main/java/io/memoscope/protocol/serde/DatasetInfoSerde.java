package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.DatasetInfo;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link DatasetInfoSerializer} and {@link DatasetInfoDeserializer} as one Serde, e.g. for Kafka
 * Streams.
 */
public final class DatasetInfoSerde extends Serdes.WrapperSerde<DatasetInfo> {

  public DatasetInfoSerde() {
    this(SerdeSettings.defaults());
  }

  public DatasetInfoSerde(SerdeSettings settings) {
    super(new DatasetInfoSerializer(settings), new DatasetInfoDeserializer(settings));
  }
}
