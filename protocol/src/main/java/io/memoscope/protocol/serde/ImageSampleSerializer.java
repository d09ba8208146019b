package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.ImageSample;

/** Writes {@link ImageSample} values; see {@link AvroSerializer}. */
public final class ImageSampleSerializer extends AvroSerializer<ImageSample> {

  public ImageSampleSerializer() {
    this(SerdeSettings.defaults());
  }

  public ImageSampleSerializer(SerdeSettings settings) {
    super(Codecs::imageSample, settings);
  }
}
