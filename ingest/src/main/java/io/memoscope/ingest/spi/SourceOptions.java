package io.memoscope.ingest.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The options a source is opened with: the launcher's typed flags ({@code --dir}, {@code
 * --classes}, {@code --height}, …) and any {@code --source-option key=value}, by key. Getters turn
 * a malformed value into a {@link SourceException} naming the option.
 */
public record SourceOptions(Map<String, String> values) {

  public SourceOptions {
    values = Map.copyOf(new TreeMap<>(values));
  }

  public static SourceOptions of(Map<String, String> values) {
    return new SourceOptions(values);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public Optional<Path> path(String key) {
    return get(key).map(Path::of);
  }

  public int intValue(String key, int fallback) {
    return get(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
  }

  public long longValue(String key, long fallback) {
    return get(key).map(v -> parse(key, v, Long::parseLong)).orElse(fallback);
  }

  private static <T> T parse(
      String key, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value.trim());
    } catch (NumberFormatException e) {
      throw new SourceException("option " + key + ": '" + value + "' is not a whole number");
    }
  }
}
