package io.memoscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.memoscope.protocol.config.ConfigException;
import io.memoscope.trainer.config.TrainingConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * A sweep file: a base training config and named runs, each a set of overrides of it.
 *
 * <pre>
 * name: fashion-mnist-regularizers     # optional; the report folder and run-id prefix
 * seeds: 3                            # optional; every run once per seed: 3 = seeds 1, 2, 3; or [1, 5, 9]
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
 * @param seeds the seeds every run is trained under, in order; empty: once, with the config's own
 *     seed
 * @param runs run name → overrides (dotted keys), in file order
 */
record Sweep(
    String name,
    List<Long> seeds,
    Map<String, String> base,
    Map<String, Map<String, String>> runs) {

  /**
   * Seeds from {@code --seeds} or the sweep's {@code seeds:}: one number N means N seeds, 1 to N; a
   * comma list means those seeds (a single chosen seed: {@code --set seed=S}).
   */
  static List<Long> parseSeeds(String text, String what) {
    String trimmed = text.strip();
    try {
      if (!trimmed.contains(",")) {
        long count = Long.parseLong(trimmed);
        if (count < 1 || count > 1000) {
          throw new ConfigException(what + ": a number of seeds must be 1 to 1000, got " + count);
        }
        return LongStream.rangeClosed(1, count).boxed().toList();
      }
      return seedList(Arrays.asList(trimmed.split(",")), what);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          what + ": seeds must be a count N (seeds 1 to N) or a list of seeds, got '" + text + "'");
    }
  }

  /** Listed seeds: distinct numbers ≥ 0, at least one. */
  private static List<Long> seedList(List<String> listed, String what) {
    List<Long> seeds;
    try {
      seeds =
          listed.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
    } catch (NumberFormatException e) {
      throw new ConfigException(what + ": seeds must be numbers, got " + listed);
    }
    if (seeds.isEmpty()
        || seeds.stream().anyMatch(s -> s < 0)
        || Set.copyOf(seeds).size() != seeds.size()) {
      throw new ConfigException(what + ": seeds must be distinct numbers ≥ 0, got " + listed);
    }
    return seeds;
  }

  static Sweep read(Path file) {
    String what = "sweep file " + file;
    JsonNode root = TrainingConfigLoader.readYamlTree(file, what);
    if (root == null || !root.isObject()) {
      throw new ConfigException(what + ": must be a map with base and runs");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!List.of("name", "seeds", "base", "runs").contains(key)) {
        throw new ConfigException(
            what + ": unknown top-level key '" + key + "' (known: name, seeds, base, runs)");
      }
    }
    String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String name = root.hasNonNull("name") ? root.get("name").asText() : fileName;
    List<Long> seeds = List.of();
    if (root.hasNonNull("seeds")) {
      JsonNode node = root.get("seeds");
      if (node.isArray()) {
        List<String> listed = new ArrayList<>();
        node.forEach(seed -> listed.add(seed.asText()));
        seeds = seedList(listed, what + " seeds");
      } else {
        seeds = parseSeeds(node.asText(), what + " seeds");
      }
    }
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
    runsNode
        .fields()
        .forEachRemaining(
            entry -> {
              if (!entry.getKey().matches("[A-Za-z0-9_-]+")) {
                throw new ConfigException(
                    what
                        + ": run name '"
                        + entry.getKey()
                        + "' must use only [A-Za-z0-9_-] (it becomes part of a run id)");
              }
              JsonNode value = entry.getValue();
              if (value != null && !value.isNull() && !value.isObject()) {
                throw new ConfigException(
                    what + ": run " + entry.getKey() + " must be a map of overrides");
              }
              runs.put(
                  entry.getKey(),
                  value == null || value.isNull()
                      ? Map.of()
                      : TrainingConfigLoader.settingsOf(value, what + " run " + entry.getKey()));
            });
    return new Sweep(name, seeds, base, runs);
  }
}
