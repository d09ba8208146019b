package io.memoscope.protocol.serde;

import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer reading single-object encoded Avro written with any known schema version,
 * checking the record's contract. {@code null} stays {@code null} (a tombstone on compacted
 * topics).
 */
public abstract class AvroDeserializer<T> implements Deserializer<T> {

  private final Function<SerdeSettings, SingleObjectCodec<T>> codecFactory;
  private volatile SingleObjectCodec<T> codec;

  protected AvroDeserializer(
      Function<SerdeSettings, SingleObjectCodec<T>> codecFactory, SerdeSettings settings) {
    this.codecFactory = codecFactory;
    this.codec = codecFactory.apply(settings);
  }

  /** Reads the {@code memoscope.*} keys described in {@link SerdeSettings}; others are ignored. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    codec = codecFactory.apply(SerdeSettings.fromConfig(configs));
  }

  /**
   * Accepts values written with {@code writerSchema} from now on, e.g. that of a newer producer.
   */
  public void addWriterSchema(Schema writerSchema) {
    codec.addWriterSchema(writerSchema);
  }

  /**
   * @throws InvalidRecordException saying what is wrong with the value
   */
  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : codec.decode(data);
  }
}
