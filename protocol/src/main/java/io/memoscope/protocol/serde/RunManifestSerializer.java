package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.RunManifest;

/** Writes {@link RunManifest} values; see {@link AvroSerializer}. */
public final class RunManifestSerializer extends AvroSerializer<RunManifest> {

  public RunManifestSerializer() {
    this(SerdeSettings.defaults());
  }

  public RunManifestSerializer(SerdeSettings settings) {
    super(Codecs::runManifest, settings);
  }
}
