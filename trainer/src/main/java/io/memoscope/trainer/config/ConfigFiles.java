package io.memoscope.trainer.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.memoscope.protocol.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads a training config file into dotted keys. YAML may nest ({@code optimizer: {name: adam}}) or
 * use dotted keys ({@code optimizer.name: adam}); both give {@code optimizer.name}. A list of
 * scalars becomes a comma list ({@code taps: [block1, block2]}).
 */
final class ConfigFiles {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private ConfigFiles() {}

  /**
   * @throws ConfigException if the file is missing, unreadable, malformed or of an unknown kind
   */
  static ConfigLayer read(Path file) {
    String name =
        file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> values;
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      values = readYaml(file);
    } else if (name.endsWith(".properties")) {
      values = readProperties(file);
    } else {
      throw new ConfigException(
          "config file " + file + ": unknown format (use .yaml, .yml or .properties)");
    }
    return ConfigLayer.of(file.toString(), values);
  }

  private static Map<String, String> readYaml(Path file) {
    String what = "config file " + file;
    JsonNode root = readYamlTree(file, what);
    Map<String, String> values = new TreeMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values;
    }
    if (!root.isObject()) {
      throw new ConfigException(what + ": must be a map of settings");
    }
    flatten("", root, values, what);
    return values;
  }

  /**
   * A YAML file's tree (null for an empty file).
   *
   * @param what the file as error messages name it ({@code config file x.yaml})
   */
  static JsonNode readYamlTree(Path file, String what) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return YAML.readTree(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException(what + ": not found");
    } catch (JacksonException e) {
      throw new ConfigException(
          what + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException(what + ": cannot be read: " + e.getMessage());
    }
  }

  /**
   * A YAML map's settings as dotted keys; nested maps join their keys with dots, lists become comma
   * lists.
   */
  static void flatten(String prefix, JsonNode node, Map<String, String> into, String what) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              entry ->
                  flatten(
                      prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey(),
                      entry.getValue(),
                      into,
                      what));
      return;
    }
    String value;
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        if (!item.isValueNode() || item.isNull()) {
          throw new ConfigException(what + ": " + prefix + " must be a list of plain values");
        }
        items.add(item.asText());
      }
      value = String.join(",", items);
    } else if (node.isNull()) {
      throw new ConfigException(what + ": " + prefix + " has no value");
    } else {
      value = node.asText();
    }
    if (into.put(prefix, value) != null) {
      throw new ConfigException(what + ": " + prefix + " is set twice");
    }
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + ": not found");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("config file " + file + ": cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    properties
        .stringPropertyNames()
        .forEach(key -> values.put(key, properties.getProperty(key).strip()));
    return values;
  }
}
