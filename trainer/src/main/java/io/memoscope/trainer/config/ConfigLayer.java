package io.memoscope.trainer.config;

import java.util.Map;

/**
 * One source of training settings under dotted keys, and what to call it in an error message.
 *
 * @param source a file path, {@code flags}, {@code MEMOSCOPE_* environment}, …
 * @param values setting values by dotted key
 */
public record ConfigLayer(String source, Map<String, String> values) {

  public ConfigLayer {
    values.forEach(
        (key, value) -> {
          if (key == null || value == null) {
            throw new IllegalArgumentException(source + ": setting " + key + " has no value");
          }
        });
    values = Map.copyOf(values);
  }

  public static ConfigLayer of(String source, Map<String, String> values) {
    return new ConfigLayer(source, values);
  }
}
