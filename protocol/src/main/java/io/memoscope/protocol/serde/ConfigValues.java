package io.memoscope.protocol.serde;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Reads typed values out of a Kafka {@code configure()} map, which may hold strings or objects. */
final class ConfigValues {

  private ConfigValues() {}

  static int positiveInt(Map<String, ?> configs, String key, int defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      parsed = ((Number) value).longValue();
    } else if (value instanceof String s) {
      try {
        parsed = Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "expected a positive integer");
      }
    } else {
      throw new ConfigException(key, value, "expected a positive integer");
    }
    if (parsed < 1 || parsed > Integer.MAX_VALUE) {
      throw new ConfigException(key, value, "expected a positive integer");
    }
    return (int) parsed;
  }

  static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      String v = s.strip();
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw new ConfigException(key, value, "expected true or false");
  }

  /** A comma-separated string, a collection of strings/paths, or a single path. */
  static List<Path> paths(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    List<Path> paths = new ArrayList<>();
    if (value == null) {
      return paths;
    }
    if (value instanceof Path p) {
      paths.add(p);
    } else if (value instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          paths.add(Path.of(part.strip()));
        }
      }
    } else if (value instanceof Collection<?> items) {
      for (Object item : items) {
        if (item instanceof Path p) {
          paths.add(p);
        } else if (item instanceof String s && !s.isBlank()) {
          paths.add(Path.of(s.strip()));
        } else {
          throw new ConfigException(key, value, "expected paths of .avsc files or directories");
        }
      }
    } else {
      throw new ConfigException(key, value, "expected paths of .avsc files or directories");
    }
    return paths;
  }
}
