package io.memoscope.trainer.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A kind of setting value and its string form in config files, flags and run manifests. Reading
 * names the key in every error, so the loader can say which file or flag a bad value came from.
 *
 * @param writer the string form of a value; {@code reader} gives back an equal value
 * @param reader parses a value's string form
 * @param <T> the value's type in a {@link TrainingConfig}
 */
record SettingType<T>(Function<T, String> writer, Reader<T> reader) {

  /**
   * Parses the stripped string form of {@code key}'s value; a bad one is an {@link
   * InvalidSettingException}.
   */
  @FunctionalInterface
  interface Reader<T> {
    T read(String key, String text);
  }

  static final SettingType<String> TEXT = new SettingType<>(text -> text, (key, text) -> text);

  /** A comma list; items are stripped, and an empty item is kept so the record can reject it. */
  static final SettingType<List<String>> LIST =
      new SettingType<>(
          items -> String.join(",", items),
          (key, text) -> Arrays.stream(text.split(",", -1)).map(String::strip).toList());

  static final SettingType<Boolean> BOOL = new SettingType<>(Object::toString, SettingType::bool);
  static final SettingType<Integer> INTEGER =
      new SettingType<>(Object::toString, SettingType::integer);
  static final SettingType<Long> WHOLE = new SettingType<>(Object::toString, SettingType::whole);
  static final SettingType<Double> DECIMAL =
      new SettingType<>(Numbers::format, SettingType::decimal);

  /** K of the heads: {@code all} or a count of at least 1. */
  static final SettingType<Integer> LABELINGS =
      new SettingType<>(
          k -> k == HeadsConfig.ALL_LABELINGS ? HeadsConfig.ALL : Integer.toString(k),
          SettingType::labelings);

  static final SettingType<DataType> DATA_TYPE =
      new SettingType<>(SettingType::lower, SettingType::dataType);
  static final SettingType<Lambdas> LAMBDAS =
      new SettingType<>(Lambdas::format, (key, text) -> Lambdas.parse(text));

  /** One of {@code type}'s constants, written in lower case and read in any case. */
  static <E extends Enum<E>> SettingType<E> choice(Class<E> type) {
    return new SettingType<>(SettingType::lower, (key, text) -> choice(type, key, text));
  }

  /** An enum constant as settings write it: {@code ADAM} is {@code adam}. */
  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static boolean bool(String key, String text) {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new InvalidSettingException(key, "must be true or false, not '" + text + "'");
  }

  private static int integer(String key, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "must be an integer, not '" + text + "'");
    }
  }

  private static long whole(String key, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "must be an integer, not '" + text + "'");
    }
  }

  private static double decimal(String key, String text) {
    try {
      // + 0.0 turns -0 into 0, so the written form reads back to an equal record.
      return Double.parseDouble(text) + 0.0;
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "must be a number, not '" + text + "'");
    }
  }

  private static int labelings(String key, String text) {
    if (text.equalsIgnoreCase(HeadsConfig.ALL)) {
      return HeadsConfig.ALL_LABELINGS;
    }
    int labelings = integer(key, text);
    if (labelings < 1) {
      throw new InvalidSettingException(key, "must be 'all' or at least 1, not " + labelings);
    }
    return labelings;
  }

  private static DataType dataType(String key, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "float" -> DataType.FLOAT;
      case "double" -> DataType.DOUBLE;
      default ->
          throw new InvalidSettingException(key, "must be float or double, not '" + text + "'");
    };
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String key, String text) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    throw new InvalidSettingException(
        key,
        "must be one of "
            + Arrays.stream(type.getEnumConstants())
                .map(SettingType::lower)
                .collect(Collectors.joining(", "))
            + ", not '"
            + text
            + "'");
  }
}
