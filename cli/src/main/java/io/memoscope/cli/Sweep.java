package io.memoscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.memoscope.protocol.config.ConfigException;
import io.memoscope.trainer.config.TrainingConfigLoader;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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


  static Sweep read(Path file) {
    String what = "sweep file " + file;
    JsonNode root = TrainingConfigLoader.readYamlTree(file, what);
    if (root == null || !root.isObject()) {
      throw new ConfigException(what + ": must be a map with base and runs");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!List.of("name", "base", "runs").contains(key)) {
        throw new ConfigException(what + ": unknown top-level key '" + key + "' (known: name, base, runs)");
      }
    }
    String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String name = root.hasNonNull("name") ? root.get("name").asText() : fileName;
    Map<String, String> base = Map.of();
    if (root.hasNonNull("base")) {
      if (!root.get("base").isObject()) {
        throw new ConfigException(what + ": base must be a map of settings");
      }
      base = TrainingConfigLoader.settingsOf(root.get("base"), what + " base");
    }
    JsonNode runsNode = root.get("runs");
    if (runsNode == null || !runsNode.isObject() || runsNode.isEmpty()) {
      throw new ConfigException(what + ": runs must be a non-empty map of run name → overrides");
    }
    Map<String, Map<String, String>> runs = new LinkedHashMap<>();
    runsNode.fields().forEachRemaining(entry -> {
      if (!entry.getKey().matches("[A-Za-z0-9_-]+")) {
        throw new ConfigException(what + ": run name '" + entry.getKey()
            + "' must use only [A-Za-z0-9_-] (it becomes part of a run id)");
      }
      JsonNode value = entry.getValue();
      if (value != null && !value.isNull() && !value.isObject()) {
        throw new ConfigException(what + ": run " + entry.getKey() + " must be a map of overrides");
      }
      runs.put(entry.getKey(), value == null || value.isNull() ? Map.of()
          : TrainingConfigLoader.settingsOf(value, what + " run " + entry.getKey()));
    });
    return new Sweep(name, base, runs);
  }
}
