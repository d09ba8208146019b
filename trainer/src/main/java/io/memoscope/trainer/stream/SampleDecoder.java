package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import io.memoscope.protocol.serde.InvalidRecordException;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.train.DataShape;
import java.nio.ByteBuffer;
import io.memoscope.protocol.avro.TopicRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * A decoder that skips invalid records without dead-lettering them again (for reading a run's
   * samples after the run, which dead-lettered them already).
   */
  static SampleDecoder skippingInvalid(DataShape shape) {
    return new SampleDecoder(shape, null);
  }

  /** The first {@code limit} valid samples of {@code ranges}' committed records, in range order. */
  List<SampleView> decodeFirst(Map<String, Object> clientConfig, List<TopicRange> ranges, long limit) {
    List<SampleView> views = new ArrayList<>();
    CommittedRecords.first(clientConfig, ranges, limit, record -> decode(record).ifPresent(views::add));
    return views;
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, String reason) {
    if (deadLetters != null) {
      deadLetters.send(record, reason);
    }
  }

  Optional<SampleView> decode(ConsumerRecord<byte[], byte[]> record) {
    ImageSample sample;
    try {
      sample = deserializer.deserialize(record.topic(), record.value());
    } catch (InvalidRecordException e) {
      reject(record, e.getMessage());
      return Optional.empty();
    }
    if (sample == null || sample.getHeight() != shape.input().height() || sample.getWidth() != shape.input().width()
        || sample.getChannels() != shape.input().channels() || sample.getNumClasses() != shape.numClasses()
        || sample.getRandomClasses() != shape.randomClasses() || sample.getRandomLabels().size() < shape.labelings()) {
      reject(record, sample == null ? "empty value" : "does not match the data set's shape or labels");
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
