package io.memoscope.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The options before the command, read before picocli parses: the settings file supplies defaults
 * to the parse itself, so it must be known first.
 *
 * @param options the arguments before the command ({@code --settings FILE}, {@code --help}, …)
 */
record GlobalArgs(List<String> options) {

  static final String SETTINGS = "--settings";

  /**
   * What {@code --settings} was called before {@code --config} came to mean only the training
   * config of {@code train}; before the command it is refused with a pointer to the new name.
   */
  static final String OLD_SETTINGS = "--config";

  GlobalArgs {
    options = List.copyOf(options);
  }

  /**
   * Splits off the arguments before the first one that is neither an option nor the settings file.
   */
  static GlobalArgs of(String[] args) {
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      i += args[i].equals(SETTINGS) || args[i].equals(OLD_SETTINGS) ? 2 : 1;
    }
    return new GlobalArgs(Arrays.asList(args).subList(0, Math.min(i, args.length)));
  }

  /** The file of {@code --settings FILE} or {@code --settings=FILE}. */
  Optional<Path> settingsFile() {
    return value(SETTINGS).map(Path::of);
  }

  /** One line saying what to write instead, when the options hold one that was renamed. */
  Optional<String> misplacedOption() {
    boolean old =
        options.stream().anyMatch(o -> o.equals(OLD_SETTINGS) || o.startsWith(OLD_SETTINGS + "="));
    return old
        ? Optional.of(
            "the settings file is given with "
                + SETTINGS
                + " FILE before the command, not "
                + OLD_SETTINGS
                + " (which names the training config after train)")
        : Optional.empty();
  }

  private Optional<String> value(String name) {
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i).equals(name) && i + 1 < options.size()) {
        return Optional.of(options.get(i + 1));
      }
      if (options.get(i).startsWith(name + "=")) {
        return Optional.of(options.get(i).substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }
}
