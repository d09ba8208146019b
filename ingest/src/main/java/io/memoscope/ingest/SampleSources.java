package io.memoscope.ingest;

import io.memoscope.ingest.spi.SampleSource;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The sources on the classpath, built in or brought by a third-party jar, found with {@link
 * ServiceLoader}.
 */
public final class SampleSources {

  private final List<SampleSource> sources;

  private SampleSources(List<SampleSource> sources) {
    this.sources = sources;
  }

  public static SampleSources discover() {
    return discover(Thread.currentThread().getContextClassLoader());
  }

  public static SampleSources discover(ClassLoader loader) {
    List<SampleSource> found =
        ServiceLoader.load(SampleSource.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparing(SampleSource::name))
            .toList();
    return new SampleSources(found);
  }

  public List<SampleSource> all() {
    return sources;
  }

  /**
   * @throws IngestException naming the sources there are, when none is called {@code name}
   */
  public SampleSource named(String name) {
    return sources.stream()
        .filter(source -> source.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IngestException(
                    "no source named '"
                        + name
                        + "'; available: "
                        + sources.stream()
                            .map(SampleSource::name)
                            .collect(Collectors.joining(", "))));
  }
}
