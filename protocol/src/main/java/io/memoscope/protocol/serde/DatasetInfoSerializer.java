package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.DatasetInfo;

/** Writes {@link DatasetInfo} values; see {@link AvroSerializer}. */
public final class DatasetInfoSerializer extends AvroSerializer<DatasetInfo> {

  public DatasetInfoSerializer() {
    this(SerdeSettings.defaults());
  }

  public DatasetInfoSerializer(SerdeSettings settings) {
    super(Codecs::datasetInfo, settings);
  }
}
