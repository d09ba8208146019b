package io.memoscope.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Feeds the settings file and the environment into picocli as option defaults, so a flag on the
 * command line always wins and the annotation's default is the last resort. The option {@code
 * --data-dir} of {@code memoscope broker} is looked up as {@code broker.data-dir} (env {@code
 * MEMOSCOPE_BROKER_DATA_DIR}), then as plain {@code data-dir}: a shared setting such as {@code
 * bootstrap} is written once for every command.
 */
final class ConfigDefaultProvider implements IDefaultValueProvider {

  private final ConfigSources sources;

  ConfigDefaultProvider(ConfigSources sources) {
    this.sources = sources;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)
        || option.typeInfo().isMap()
        || argSpec.command() == null) {
      return null;
    }
    String key = option.longestName().replaceFirst("^-+", "");
    String command = argSpec.command().qualifiedName(".").replaceFirst("^memoscope\\.?", "");
    if (!command.isEmpty()) {
      var qualified = sources.lookup(command + "." + key);
      if (qualified.isPresent()) {
        return qualified.get();
      }
    }
    return sources.lookup(key).orElse(null);
  }
}
