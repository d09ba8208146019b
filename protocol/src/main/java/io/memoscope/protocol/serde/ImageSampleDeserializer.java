package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.ImageSample;

/** Reads {@link ImageSample} values; see {@link AvroDeserializer}. */
public final class ImageSampleDeserializer extends AvroDeserializer<ImageSample> {

  public ImageSampleDeserializer() {
    this(SerdeSettings.defaults());
  }

  public ImageSampleDeserializer(SerdeSettings settings) {
    super(Codecs::imageSample, settings);
  }
}
