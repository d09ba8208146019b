package io.memoscope.ingest.spi;

/** Receives a split's samples as an {@link OpenedDataset} reads them. */
@FunctionalInterface
public interface SampleSink {

  /**
   * @return whether to go on reading ({@code false} stops, e.g. at {@code --limit})
   */
  boolean accept(RawSample sample);
}
