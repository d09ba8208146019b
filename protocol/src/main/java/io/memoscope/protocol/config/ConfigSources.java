package io.memoscope.protocol.config;

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
 * The configuration layers that sit under the command line: a properties file and the
 * environment. memoscope's one precedence order is
 *
 * <pre>built-in defaults &lt; config file &lt; environment (MEMOSCOPE_*) &lt; command-line flags</pre>
 *
 * This class resolves the middle two; the CLI applies flags on top and the typed records hold
 * the defaults. A key such as {@code broker.data-dir} maps to the environment variable
 * {@code MEMOSCOPE_BROKER_DATA_DIR}: upper case, with dots and dashes turned into underscores.
 *
 * @param file values read from the config file (empty when there is none)
 * @param environment the {@code MEMOSCOPE_*} variables, keyed by variable name
 * @param path the config file that was read, if any
 */
public record ConfigSources(Map<String, String> file, Map<String, String> environment, Optional<Path> path) {

  public static final String ENV_PREFIX = "MEMOSCOPE_";
  /** Environment variable naming the config file when no {@code --config} flag is given. */
  public static final String CONFIG_ENV = ENV_PREFIX + "CONFIG";
  /** Keys under this prefix (file) or {@code MEMOSCOPE_KAFKA_} (environment) are Kafka client properties. */
  public static final String KAFKA_PREFIX = "kafka.";

  public ConfigSources {
    file = Map.copyOf(file);
    environment = Map.copyOf(environment);
  }

  public static ConfigSources empty() {
    return new ConfigSources(Map.of(), Map.of(), Optional.empty());
  }

  /**
   * Reads the config file (the explicit one, else the one {@code MEMOSCOPE_CONFIG} names) and
   * keeps the {@code MEMOSCOPE_*} variables of {@code env}.
   *
   * @throws ConfigException if a named file is missing or unreadable
   */
  public static ConfigSources load(Optional<Path> explicitFile, Map<String, String> env) {
    Optional<Path> path = explicitFile.or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    Map<String, String> fileValues = path.map(ConfigSources::readProperties).orElse(Map.of());
    Map<String, String> ours = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_ENV)) {
        ours.put(name, value);
      }
    });
    return new ConfigSources(fileValues, ours, path);
  }

  /** The value of {@code key} from the environment, else from the file. */
  public Optional<String> lookup(String key) {
    String fromEnv = environment.get(environmentName(key));
    if (fromEnv != null) {
      return Optional.of(fromEnv);
    }
    return Optional.ofNullable(file.get(key));
  }

  /**
   * Extra Kafka client properties ({@code kafka.sasl.mechanism=PLAIN} in the file,
   * {@code MEMOSCOPE_KAFKA_SASL_MECHANISM=PLAIN} in the environment), without the prefix; the
   * environment wins. Kafka's property names are lower case and dotted, so the variable name
   * maps back unambiguously.
   */
  public Map<String, String> kafkaProperties() {
    Map<String, String> props = new TreeMap<>();
    file.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX)) {
        props.put(key.substring(KAFKA_PREFIX.length()), value);
      }
    });
    String envPrefix = environmentName(KAFKA_PREFIX);
    environment.forEach((name, value) -> {
      if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
        props.put(name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return props;
  }

  /** {@code broker.data-dir} becomes {@code MEMOSCOPE_BROKER_DATA_DIR}. */
  public static String environmentName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> readProperties(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + path + ": not found");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("config file " + path + ": cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
    return values;
  }
}
