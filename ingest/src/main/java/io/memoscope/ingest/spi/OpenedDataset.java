package io.memoscope.ingest.spi;

import io.memoscope.protocol.avro.Split;
import java.util.List;

/** A data set ready to be read, split by split. Closing it releases its files. */
public interface OpenedDataset extends AutoCloseable {

  /** The shape every sample of both splits has. */
  ImageShape shape();

  /** Name of each real class, indexed by label; its size is the number of classes. */
  List<String> classNames();

  /** How many samples {@link #read} yields for the split (before any limit). */
  long count(Split split);

  /**
   * Hands the split's samples to {@code sink} in index order 0, 1, 2, …, until the split ends or
   * the sink returns {@code false}. Reads lazily: a data set need not fit in memory.
   *
   * @throws SourceException naming the file and record when the data turn out bad mid-way
   */
  void read(Split split, SampleSink sink);

  @Override
  void close();
}
