package io.memoscope.cli;

import io.memoscope.protocol.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The configuration layers that sit under the command line: a properties file of settings and the
 * environment. memoscope's one precedence order is
 *
 * <pre>built-in defaults &lt; settings file &lt; environment (MEMOSCOPE_*) &lt; command-line flags
 * </pre>
 *
 * This class resolves the middle two; the CLI applies flags on top and the typed records hold the
 * defaults. A key such as {@code broker.data-dir} maps to the environment variable {@code
 * MEMOSCOPE_BROKER_DATA_DIR}: upper case, with dots and dashes turned into underscores.
 *
 * @param file values read from the settings file (empty when there is none)
 * @param environment the {@code MEMOSCOPE_*} variables, keyed by variable name
 * @param path the settings file that was read, if any
 */
record ConfigSources(
    Map<String, String> file, Map<String, String> environment, Optional<Path> path) {

  static final String ENV_PREFIX = "MEMOSCOPE_";

  /** Environment variable naming the settings file when no {@code --settings} flag is given. */
  static final String SETTINGS_ENV = ENV_PREFIX + "SETTINGS";

  /**
   * Its name from when the flag was {@code --config} (which now only names train's training
   * config): still read, below {@link #SETTINGS_ENV}, with a warning ({@link #deprecation}).
   */
  static final String OLD_SETTINGS_ENV = ENV_PREFIX + "CONFIG";

  /**
   * Keys under this prefix (file) or {@code MEMOSCOPE_KAFKA_} (environment) are Kafka client
   * properties.
   */
  static final String KAFKA_PREFIX = "kafka.";

  ConfigSources {
    file = Map.copyOf(file);
    environment = Map.copyOf(environment);
  }

  /**
   * Reads the settings file (the explicit one, else the one {@code MEMOSCOPE_SETTINGS} names) and
   * keeps the {@code MEMOSCOPE_*} variables of {@code env}.
   *
   * @throws ConfigException if a named file is missing or unreadable
   */
  static ConfigSources load(Optional<Path> explicitFile, Map<String, String> env) {
    Optional<Path> path =
        explicitFile.or(() -> named(env, SETTINGS_ENV)).or(() -> named(env, OLD_SETTINGS_ENV));
    Map<String, String> fileValues = path.map(ConfigSources::readProperties).orElse(Map.of());
    Map<String, String> ours = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX)
              && !name.equals(SETTINGS_ENV)
              && !name.equals(OLD_SETTINGS_ENV)) {
            ours.put(name, value);
          }
        });
    return new ConfigSources(fileValues, ours, path);
  }

  /** A one-line warning when {@code env} still names the settings file by its old variable. */
  static Optional<String> deprecation(Map<String, String> env) {
    return named(env, OLD_SETTINGS_ENV)
        .map(
            file ->
                OLD_SETTINGS_ENV
                    + " is deprecated: name the settings file with "
                    + SETTINGS_ENV
                    + (named(env, SETTINGS_ENV).isPresent()
                        ? " (which is set, so " + OLD_SETTINGS_ENV + " is ignored)"
                        : ""));
  }

  /** The value of {@code key} from the environment, else from the file. */
  Optional<String> lookup(String key) {
    String fromEnv = environment.get(environmentName(key));
    if (fromEnv != null) {
      return Optional.of(fromEnv);
    }
    return Optional.ofNullable(file.get(key));
  }

  /**
   * Extra Kafka client properties ({@code kafka.sasl.mechanism=PLAIN} in the file, {@code
   * MEMOSCOPE_KAFKA_SASL_MECHANISM=PLAIN} in the environment), without the prefix; the environment
   * wins. Kafka's property names are lower case and dotted, so the variable name maps back
   * unambiguously.
   */
  Map<String, String> kafkaProperties() {
    Map<String, String> props = new TreeMap<>();
    file.forEach(
        (key, value) -> {
          if (key.startsWith(KAFKA_PREFIX)) {
            props.put(key.substring(KAFKA_PREFIX.length()), value);
          }
        });
    String envPrefix = environmentName(KAFKA_PREFIX);
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
            props.put(
                name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                value);
          }
        });
    return props;
  }

  /** {@code broker.data-dir} becomes {@code MEMOSCOPE_BROKER_DATA_DIR}. */
  static String environmentName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Optional<Path> named(Map<String, String> env, String variable) {
    return Optional.ofNullable(env.get(variable)).filter(s -> !s.isBlank()).map(Path::of);
  }

  private static Map<String, String> readProperties(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("settings file " + path + ": not found");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("settings file " + path + ": cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> values.put(name, properties.getProperty(name).trim()));
    return values;
  }
}
