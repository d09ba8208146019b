package io.memoscope.protocol.serde;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Key and value serdes of every memoscope topic, with default settings (call {@code configure} to
 * change them).
 *
 * <table>
 *   <caption>Keys and values by topic</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th></tr>
 *   <tr><td>samples.&lt;dataset&gt;.&lt;split&gt;</td><td>{@link #sampleKey()}: sample index, 8-byte big-endian long</td><td>{@link #imageSample()}</td></tr>
 *   <tr><td>memoscope.datasets</td><td>{@link #nameKey()}: data set name, UTF-8</td><td>{@link #datasetInfo()}</td></tr>
 *   <tr><td>memoscope.events</td><td>{@link #nameKey()}: run id, UTF-8</td><td>{@link #trainingEvent()}</td></tr>
 *   <tr><td>memoscope.runs</td><td>{@link #nameKey()}: run id, UTF-8</td><td>{@link #runManifest()}</td></tr>
 * </table>
 */
public final class MemoscopeSerdes {

  private MemoscopeSerdes() {}

  /** Kafka's LongSerde: the sample index as 8 bytes, big-endian two's complement. */
  public static Serde<Long> sampleKey() {
    return Serdes.Long();
  }

  /** Kafka's StringSerde (UTF-8): data set names and run ids. */
  public static Serde<String> nameKey() {
    return Serdes.String();
  }

  public static ImageSampleSerde imageSample() {
    return new ImageSampleSerde();
  }

  public static DatasetInfoSerde datasetInfo() {
    return new DatasetInfoSerde();
  }

  public static TrainingEventSerde trainingEvent() {
    return new TrainingEventSerde();
  }

  public static RunManifestSerde runManifest() {
    return new RunManifestSerde();
  }
}
