package io.memoscope.trainer.config;

import java.util.function.Function;

/**
 * One training setting: its dotted key, the kind of value it holds, where that value sits in a
 * {@link TrainingConfig}, and what it means. Its default is whatever {@link
 * TrainingConfig#defaults()} holds, so it is never written down twice.
 *
 * @param key the dotted key of config files, {@code --set} flags and run manifests
 * @param type how the value is written and read
 * @param from the value in a config
 * @param doc what the setting means: one line of Markdown, the last column of the settings table in
 *     docs/trainer.md
 * @param <T> the value's type in a {@link TrainingConfig}
 */
public record Setting<T>(
    String key, SettingType<T> type, Function<TrainingConfig, T> from, String doc) {

  /** The value's string form in {@code config}. */
  String write(TrainingConfig config) {
    return type.writer().apply(from.apply(config));
  }

  /** Parses a string form; surrounding blanks do not count. */
  T read(String text) {
    return type.reader().read(key, text.strip());
  }
}
