package io.memoscope.cli;

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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep file: a base training config and named runs, each a set of overrides of it.
 *
 * <pre>
 * name: fashion-mnist-regularizers     # optional; the report folder and run-id prefix
 * base:                                # training config keys (docs/trainer.md), nested or dotted
 *   epochs: 8
 *   heads: {taps: all}
 * runs:                                # in order; each run = base + these overrides
 *   baseline: {}
 *   dropout: {regularization.dropout: 0.5}
 * </pre>
 *
 * Keys are not checked here: a run whose settings are invalid fails alone when its config is built.
 *
 * @param runs run name → overrides (dotted keys), in file order
 */
record Sweep(String name, Map<String, String> base, Map<String, Map<String, String>> runs) {

  private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  static Sweep read(Path file) {
    JsonNode root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = YAML.readTree(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("sweep file " + file + ": not found");
    } catch (JacksonException e) {
      throw new ConfigException("sweep file " + file + ": not valid YAML: "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException("sweep file " + file + ": cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("sweep file " + file + ": must be a map with base and runs");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!List.of("name", "base", "runs").contains(key)) {
        throw new ConfigException("sweep file " + file + ": unknown top-level key '" + key
            + "' (known: name, base, runs)");
      }
    }
    String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String name = root.hasNonNull("name") ? root.get("name").asText() : fileName;
    Map<String, String> base = new TreeMap<>();
    if (root.hasNonNull("base")) {
      if (!root.get("base").isObject()) {
        throw new ConfigException("sweep file " + file + ": base must be a map of settings");
      }
      flatten("", root.get("base"), base, file);
    }
    JsonNode runsNode = root.get("runs");
    if (runsNode == null || !runsNode.isObject() || runsNode.isEmpty()) {
      throw new ConfigException("sweep file " + file + ": runs must be a non-empty map of run name → overrides");
    }
    Map<String, Map<String, String>> runs = new LinkedHashMap<>();
    runsNode.fields().forEachRemaining(entry -> {
      if (!entry.getKey().matches("[A-Za-z0-9_-]+")) {
        throw new ConfigException("sweep file " + file + ": run name '" + entry.getKey()
            + "' must use only [A-Za-z0-9_-] (it becomes part of a run id)");
      }
      Map<String, String> overrides = new TreeMap<>();
      JsonNode value = entry.getValue();
      if (value != null && !value.isNull()) {
        if (!value.isObject()) {
          throw new ConfigException("sweep file " + file + ": run " + entry.getKey() + " must be a map of overrides");
        }
        flatten("", value, overrides, file);
      }
      runs.put(entry.getKey(), overrides);
    });
    return new Sweep(name, base, runs);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into, Path file) {
    if (node.isObject()) {
      node.fields().forEachRemaining(entry ->
          flatten(prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey(), entry.getValue(), into, file));
      return;
    }
    String value;
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      value = String.join(",", items);
    } else if (node.isNull()) {
      throw new ConfigException("sweep file " + file + ": " + prefix + " has no value");
    } else {
      value = node.asText();
    }
    if (into.put(prefix, value) != null) {
      throw new ConfigException("sweep file " + file + ": " + prefix + " is set twice");
    }
  }
}
