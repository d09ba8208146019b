package io.memoscope.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.memoscope.protocol.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds a {@link TrainingConfig} from layers of dotted-key settings. One precedence:
 *
 * <pre>built-in defaults &lt; layers in the order given (file, then overrides from env and flags)
 * </pre>
 *
 * Every error is a {@link ConfigException} with one line that names the key and where its value
 * came from.
 */
public final class TrainingConfigLoader {

  public static final String OVERRIDES = "overrides";

  private TrainingConfigLoader() {}

  /** Defaults &lt; {@code file} (YAML or .properties, by extension) &lt; {@code overrides}. */
  public static TrainingConfig load(Optional<Path> file, Map<String, String> overrides) {
    List<ConfigLayer> layers = new ArrayList<>();
    file.ifPresent(path -> layers.add(readFile(path)));
    layers.add(ConfigLayer.of(OVERRIDES, overrides));
    return load(layers);
  }

  /** A config file as one layer. */
  public static ConfigLayer readFile(Path file) {
    return ConfigFiles.read(file);
  }

  /**
   * A YAML file as a tree, for files that hold training settings among other things (a sweep).
   *
   * @param what the file as error messages name it ({@code sweep file x.yaml})
   * @return null for an empty file
   */
  public static JsonNode readYamlTree(Path file, String what) {
    return ConfigFiles.readYamlTree(file, what);
  }

  /** A YAML map of settings (nested or dotted keys) as dotted keys, as a config file's are read. */
  public static Map<String, String> settingsOf(JsonNode map, String what) {
    Map<String, String> values = new TreeMap<>();
    ConfigFiles.flatten("", map, values, what);
    return values;
  }

  /** Defaults &lt; {@code layers[0]} &lt; {@code layers[1]} &lt; … */
  public static TrainingConfig load(List<ConfigLayer> layers) {
    Map<String, String> merged = new TreeMap<>();
    Map<String, String> sourceOf = new HashMap<>();
    for (ConfigLayer layer : layers) {
      layer
          .values()
          .forEach(
              (key, value) -> {
                if (!FlatConfig.KEYS.contains(key)) {
                  throw new ConfigException(
                      layer.source() + ": unknown training setting '" + key + "'" + hint(key));
                }
                merged.put(key, value);
                sourceOf.put(key, layer.source());
              });
    }
    try {
      return FlatConfig.read(merged);
    } catch (InvalidSettingException e) {
      String source = sourceOf.get(e.key());
      throw new ConfigException(source == null ? e.getMessage() : source + ": " + e.getMessage());
    }
  }

  /** The keys of the same section, so a misspelt key points at the right one. */
  private static String hint(String key) {
    int dot = key.indexOf('.');
    String section = dot < 0 ? key : key.substring(0, dot + 1);
    List<String> near =
        FlatConfig.KEYS.stream().filter(k -> k.startsWith(section)).sorted().toList();
    return near.isEmpty() ? "" : " (known: " + String.join(", ", near) + ")";
  }
}
