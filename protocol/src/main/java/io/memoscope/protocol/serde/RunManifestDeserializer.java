package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.RunManifest;

/** Reads {@link RunManifest} values; see {@link AvroDeserializer}. */
public final class RunManifestDeserializer extends AvroDeserializer<RunManifest> {

  public RunManifestDeserializer() {
    this(SerdeSettings.defaults());
  }

  public RunManifestDeserializer(SerdeSettings settings) {
    super(Codecs::runManifest, settings);
  }
}
