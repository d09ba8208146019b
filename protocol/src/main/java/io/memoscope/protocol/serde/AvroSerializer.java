package io.memoscope.protocol.serde;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing single-object encoded Avro, refusing records that break their contract.
 * {@code null} stays {@code null} (a tombstone on compacted topics).
 */
public abstract class AvroSerializer<T> implements Serializer<T> {

  private final Function<SerdeSettings, SingleObjectCodec<T>> codecFactory;
  private volatile SingleObjectCodec<T> codec;

  protected AvroSerializer(
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
   * @throws InvalidRecordException if the record is invalid
   */
  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(data);
  }
}
