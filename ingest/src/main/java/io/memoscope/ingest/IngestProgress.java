package io.memoscope.ingest;

/**
 * Hears how far an ingest has got. {@link #advanced} is called for every record, so implementations
 * decide themselves how often to show anything.
 */
public interface IngestProgress {

  IngestProgress NONE = new IngestProgress() {};

  /**
   * @param total images the ingest will send, both splits together
   */
  default void started(String dataset, long total) {}

  /**
   * @param done images sent so far
   */
  default void advanced(long done) {}

  /** The ingest committed or failed; whatever was drawn can be finished. */
  default void finished() {}
}
