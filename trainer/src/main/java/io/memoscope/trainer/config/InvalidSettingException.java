package io.memoscope.trainer.config;

/**
 * A training setting with a value it cannot have. It carries the dotted key so that the loader can
 * say which file or flag the value came from.
 */
public final class InvalidSettingException extends IllegalArgumentException {

  private final String key;

  /** The message reads {@code <key> <problem>}, e.g. {@code epochs must be at least 1, not 0}. */
  public InvalidSettingException(String key, String problem) {
    super(key + " " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** A rule on one setting's value; a broken one names the setting's key. */
  static void require(boolean condition, Setting<?> setting, String problem) {
    require(condition, setting.key(), problem);
  }

  /** For a rule on a whole section ({@code model}, {@code eval}, …), which is no one setting. */
  static void require(boolean condition, String key, String problem) {
    if (!condition) {
      throw new InvalidSettingException(key, problem);
    }
  }
}
