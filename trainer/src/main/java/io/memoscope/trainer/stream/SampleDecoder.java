package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import io.memoscope.protocol.serde.InvalidRecordException;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.train.DataShape;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * ImageSample bytes to the trainer's {@link SampleView}; a record that is not a valid sample of
 * this data set's shape goes to the dead letters instead.
 */
public final class SampleDecoder {

  private final ImageSampleDeserializer deserializer = new ImageSampleDeserializer();
  private final DataShape shape;
  private final DeadLetters deadLetters;

  public SampleDecoder(DataShape shape, DeadLetters deadLetters) {
    this.shape = shape;
    this.deadLetters = deadLetters;
  }

  Optional<SampleView> decode(ConsumerRecord<byte[], byte[]> record) {
    ImageSample sample;
    try {
      sample = deserializer.deserialize(record.topic(), record.value());
    } catch (InvalidRecordException e) {
      deadLetters.send(record, e.getMessage());
      return Optional.empty();
    }
    if (sample == null || sample.getHeight() != shape.input().height() || sample.getWidth() != shape.input().width()
        || sample.getChannels() != shape.input().channels() || sample.getNumClasses() != shape.numClasses()
        || sample.getRandomClasses() != shape.randomClasses() || sample.getRandomLabels().size() < shape.labelings()) {
      deadLetters.send(record, sample == null ? "empty value" : "does not match the data set's shape or labels");
      return Optional.empty();
    }
    ByteBuffer pixels = sample.getPixels().duplicate();
    byte[] bytes = new byte[pixels.remaining()];
    pixels.get(bytes);
    int[] random = sample.getRandomLabels().stream().mapToInt(Integer::intValue).toArray();
    return Optional.of(new SampleView(sample.getIndex(), sample.getLabel(), random, bytes, sample.getHeight(),
        sample.getWidth(), sample.getChannels()));
  }
}
