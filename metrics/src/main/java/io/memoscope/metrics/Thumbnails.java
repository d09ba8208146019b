package io.memoscope.metrics;

import io.memoscope.protocol.avro.ImageSample;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Sample images as PNGs ({@link SamplePng}), read from their sample topic ({@link SampleImages})
 * once and then served from a cache: a gallery shows the same few hundred samples again and again,
 * and each read costs a Kafka consumer. The cache holds at most {@value #MAX_IMAGES} images and
 * {@value #MAX_BYTES} bytes of PNG (a 28×28 grey image scaled to 112×112 is about 1-3 KB, a 32×32
 * colour one at 128×128 up to about 50 KB), dropping the image asked for least recently first.
 * Records in a sample topic never change, so a cached image never goes stale.
 */
final class Thumbnails {

  static final int MAX_IMAGES = 4_096;
  static final long MAX_BYTES = 32L * 1024 * 1024;

  /** What a request for an image found. */
  sealed interface Result {}

  /** The PNG. */
  record Found(byte[] png) implements Result {}

  /** No image of that sample there; {@code why} says what is there instead. */
  record Missing(String why) implements Result {}

  private final SampleImages images;

  /** Access order: the first entry is the image asked for least recently. Guarded by itself. */
  private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true);

  private long bytes;

  Thumbnails(SampleImages images) {
    this.images = images;
  }

  /** The PNG of sample {@code index}, whose record is at {@code offset} of {@code partition}. */
  Result png(TopicPartition partition, long offset, long index) {
    String key = partition + "@" + offset;
    synchronized (cache) {
      byte[] cached = cache.get(key);
      if (cached != null) {
        return new Found(cached);
      }
    }
    Optional<ImageSample> sample;
    try {
      sample = images.read(partition, offset);
    } catch (SerializationException e) {
      return new Missing("the record at " + key + " is not an image sample: " + e.getMessage());
    }
    if (sample.isEmpty()) {
      return new Missing(partition + " has no record at offset " + offset);
    }
    if (sample.get().getIndex() != index) {
      return new Missing(
          "the record at " + key + " is sample " + sample.get().getIndex() + ", not " + index);
    }
    byte[] png = SamplePng.encode(sample.get());
    put(key, png);
    return new Found(png);
  }

  private void put(String key, byte[] png) {
    synchronized (cache) {
      byte[] before = cache.put(key, png);
      bytes += png.length - (before == null ? 0 : before.length);
      Iterator<byte[]> oldestFirst = cache.values().iterator();
      while ((cache.size() > MAX_IMAGES || bytes > MAX_BYTES) && oldestFirst.hasNext()) {
        byte[] oldest = oldestFirst.next();
        if (oldest != png) {
          oldestFirst.remove();
          bytes -= oldest.length;
        }
      }
    }
  }
}
