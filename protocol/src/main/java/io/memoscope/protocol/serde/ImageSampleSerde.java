package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.ImageSample;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link ImageSampleSerializer} and {@link ImageSampleDeserializer} as one Serde, e.g. for Kafka
 * Streams.
 */
public final class ImageSampleSerde extends Serdes.WrapperSerde<ImageSample> {

  public ImageSampleSerde() {
    this(SerdeSettings.defaults());
  }

  public ImageSampleSerde(SerdeSettings settings) {
    super(new ImageSampleSerializer(settings), new ImageSampleDeserializer(settings));
  }
}
