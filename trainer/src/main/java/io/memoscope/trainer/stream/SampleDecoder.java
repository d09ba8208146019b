package io.memoscope.trainer.stream;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.TopicRange;
import io.memoscope.protocol.serde.ImageSampleDeserializer;
import io.memoscope.protocol.serde.InvalidRecordException;
import io.memoscope.trainer.data.SampleView;
import io.memoscope.trainer.train.DataShape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * ImageSample records of a run's ranges to the trainer's {@link SampleView}s. A record is trained
 * on only if, checked in this order, its value is a valid ImageSample, its key is its {@code
 * index}, its {@code dataset} and {@code split} are those of the topic it was read from, it has the
 * data set's shape, and no earlier record of the same read has its index; otherwise it goes to the
 * dead letters with the first {@link Rejection} that applies. Each verdict depends only on the
 * record and the records read before it in the range's fixed order, so every epoch, resume and
 * replay rejects the same records.
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

  /**
   * A new read of one split's ranges from their start: the repeated-index check starts empty. The
   * reader must hand on the records in the ranges' fixed order ({@link RangeReader}).
   */
  Pass pass() {
    return new Pass();
  }

  /** The first {@code limit} valid samples of {@code ranges}' committed records, in range order. */
  List<SampleView> decodeFirst(
      Map<String, Object> clientConfig, List<TopicRange> ranges, long limit) {
    List<SampleView> views = new ArrayList<>();
    Pass pass = pass();
    CommittedRecords.first(
        clientConfig, ranges, limit, record -> pass.decode(record).ifPresent(views::add));
    return views;
  }

  /**
   * A sample and where its record is: the evaluation subset's samples are named by position in the
   * per-sample results, so that a reader can fetch their images.
   */
  record Located(SampleView view, int partition, long offset) {}

  /** As {@link #decodeFirst}, each sample with its record's partition and offset. */
  List<Located> decodeFirstLocated(
      Map<String, Object> clientConfig, List<TopicRange> ranges, long limit) {
    List<Located> located = new ArrayList<>();
    Pass pass = pass();
    CommittedRecords.first(
        clientConfig,
        ranges,
        limit,
        record ->
            pass.decode(record)
                .ifPresent(
                    view -> located.add(new Located(view, record.partition(), record.offset()))));
    return located;
  }

  /**
   * A whole range decoded: the samples that passed every check, and how many committed records it
   * holds.
   */
  record DecodedRange(List<SampleView> samples, long records) {}

  /** Every record of the ranges, decoded in one read (the count comes with it, no second read). */
  DecodedRange decodeAll(Map<String, Object> clientConfig, List<TopicRange> ranges) {
    List<SampleView> views = new ArrayList<>();
    long[] records = {0};
    Pass pass = pass();
    CommittedRecords.first(
        clientConfig,
        ranges,
        Long.MAX_VALUE,
        record -> {
          records[0]++;
          pass.decode(record).ifPresent(views::add);
        });
    return new DecodedRange(views, records[0]);
  }

  /** One read of a split's range; not thread-safe (one reader thread per read). */
  final class Pass {
    private final SeenIndices seen = new SeenIndices();

    private Pass() {}

    Optional<SampleView> decode(ConsumerRecord<byte[], byte[]> record) {
      Optional<ImageSample> sample = accepted(record);
      if (sample.isEmpty()) {
        return Optional.empty();
      }
      long index = sample.get().getIndex();
      // Only records that passed every other check claim their index: a broken copy never hides a
      // good one.
      if (!seen.add(index)) {
        reject(
            record,
            Rejection.DUPLICATE_INDEX,
            "ImageSample "
                + where(sample.get())
                + ": index repeats, a record"
                + " read before it from the run's range of "
                + record.topic()
                + " has it");
        return Optional.empty();
      }
      return Optional.of(view(sample.get()));
    }
  }

  /** The record's sample if every check but the repeated-index one passes; else dead-lettered. */
  private Optional<ImageSample> accepted(ConsumerRecord<byte[], byte[]> record) {
    ImageSample sample;
    try {
      sample = deserializer.deserialize(record.topic(), record.value());
    } catch (InvalidRecordException e) {
      reject(record, Rejection.of(e.problem()), e.getMessage());
      return Optional.empty();
    }
    if (sample == null) {
      reject(record, Rejection.EMPTY_VALUE, "empty value (a tombstone), not an ImageSample");
      return Optional.empty();
    }
    String where = where(sample);
    byte[] key = record.key();
    if (key == null || key.length != Long.BYTES) {
      reject(
          record,
          Rejection.KEY_MISMATCH,
          "ImageSample "
              + where
              + ": key is "
              + (key == null ? "missing" : key.length + " bytes")
              + ", not the index as an 8-byte big-endian long");
      return Optional.empty();
    }
    long keyIndex = ByteBuffer.wrap(key).getLong();
    if (keyIndex != sample.getIndex()) {
      reject(
          record,
          Rejection.KEY_MISMATCH,
          "ImageSample " + where + ": key is " + keyIndex + ", not its index " + sample.getIndex());
      return Optional.empty();
    }
    if (!Topics.samples(sample.getDataset(), sample.getSplit()).equals(record.topic())) {
      boolean sameDataset =
          record.topic().startsWith(Topics.SAMPLES_PREFIX + sample.getDataset() + ".");
      reject(
          record,
          sameDataset ? Rejection.SPLIT_MISMATCH : Rejection.DATASET_MISMATCH,
          "ImageSample "
              + where
              + ": its "
              + (sameDataset ? "split" : "data set")
              + " is not that of "
              + record.topic());
      return Optional.empty();
    }
    if (sample.getHeight() != shape.input().height()
        || sample.getWidth() != shape.input().width()
        || sample.getChannels() != shape.input().channels()
        || sample.getNumClasses() != shape.numClasses()
        || sample.getRandomClasses() != shape.randomClasses()
        || sample.getRandomLabels().size() < shape.labelings()) {
      reject(
          record,
          Rejection.SHAPE_MISMATCH,
          "ImageSample " + where + ": does not match the data set's shape or" + " labels");
      return Optional.empty();
    }
    return Optional.of(sample);
  }

  private void reject(ConsumerRecord<byte[], byte[]> record, Rejection problem, String reason) {
    if (deadLetters != null) {
      deadLetters.send(record, problem, reason);
    }
  }

  /**
   * How the reasons name a sample, as the deserializer's messages do: {@code dataset/split#index}.
   */
  private static String where(ImageSample sample) {
    return sample.getDataset() + "/" + sample.getSplit() + "#" + sample.getIndex();
  }

  private static SampleView view(ImageSample sample) {
    ByteBuffer pixels = sample.getPixels().duplicate();
    byte[] bytes = new byte[pixels.remaining()];
    pixels.get(bytes);
    int[] random = sample.getRandomLabels().stream().mapToInt(Integer::intValue).toArray();
    return new SampleView(
        sample.getIndex(),
        sample.getLabel(),
        random,
        bytes,
        sample.getHeight(),
        sample.getWidth(),
        sample.getChannels());
  }
}
