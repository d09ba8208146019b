package io.memoscope.trainer.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run ran, recorded in its manifest: the JVM, the OS and CPU, and the ND4J backend. A
 * replay on the same backend and build reproduces the run's parameters to the bit; elsewhere the
 * floating-point order of operations may differ, and these keys say what changed.
 */
public final class RunEnvironment {

  private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

  private RunEnvironment() {}

  /** This process's environment, ND4J's included (which loads ND4J). */
  public static Map<String, String> current() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String property : List.of("java.version", "java.vendor", "os.name", "os.arch")) {
      environment.put(property, System.getProperty(property, ""));
    }
    environment.put("cpu", cpuModel().orElse(""));
    environment.putAll(Nd4jRuntime.environment());
    return environment;
  }

  /**
   * The keys whose values differ between two environments, as {@code key: before -> after} lines,
   * in {@code before}'s order then {@code after}'s new keys; empty when the same.
   */
  public static List<String> differences(Map<String, String> before, Map<String, String> after) {
    List<String> lines = new ArrayList<>();
    Stream.concat(before.keySet().stream(), after.keySet().stream())
        .distinct()
        .forEach(
            key -> {
              if (!Objects.equals(before.get(key), after.get(key))) {
                lines.add(key + ": " + shown(before.get(key)) + " -> " + shown(after.get(key)));
              }
            });
    return lines;
  }

  private static String shown(String value) {
    return value == null ? "(not recorded)" : value.isEmpty() ? "(unknown)" : value;
  }

  /** The processor's model name where Linux tells it (the first "model name" of /proc/cpuinfo). */
  private static Optional<String> cpuModel() {
    try (Stream<String> lines = Files.lines(CPU_INFO)) {
      return lines
          .filter(line -> line.startsWith("model name"))
          .findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).strip());
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux, or not readable: the key stays empty
    }
  }
}
