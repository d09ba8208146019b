package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.DatasetInfo;

/** Reads {@link DatasetInfo} values; see {@link AvroDeserializer}. */
public final class DatasetInfoDeserializer extends AvroDeserializer<DatasetInfo> {

  public DatasetInfoDeserializer() {
    this(SerdeSettings.defaults());
  }

  public DatasetInfoDeserializer(SerdeSettings settings) {
    super(Codecs::datasetInfo, settings);
  }
}
