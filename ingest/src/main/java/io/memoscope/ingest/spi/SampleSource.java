package io.memoscope.ingest.spi;

import java.util.Set;

/**
 * A kind of image data set memoscope can ingest ({@code memoscope ingest --source <name>}).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: put the class's name in {@code
 * META-INF/services/io.memoscope.ingest.spi.SampleSource} of your jar, give it a public no-argument
 * constructor, and put the jar on memoscope's classpath. Built in: {@code idx}, {@code cifar},
 * {@code folder}, {@code synthetic}.
 */
public interface SampleSource {

  /** What users pass to {@code --source}: lower case, unique among the sources on the classpath. */
  String name();

  /** One line for {@code memoscope ingest --list-sources}. */
  String description();

  /**
   * The option keys this source reads from {@link SourceOptions} (e.g. {@code dir}, {@code
   * classes}); the launcher rejects an option the chosen source would ignore.
   */
  Set<String> options();

  /**
   * Opens the data set: finds its files and checks what can be checked cheaply (presence, headers,
   * counts, shapes), so that most bad input fails before anything is sent.
   *
   * @throws SourceException with a one-line message naming the file and what is wrong
   */
  OpenedDataset open(SourceOptions options);
}
