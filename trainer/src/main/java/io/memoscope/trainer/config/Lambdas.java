package io.memoscope.trainer.config;

import static io.memoscope.trainer.config.InvalidSettingException.require;
import static io.memoscope.trainer.config.Settings.HEADS_LAMBDA;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * λ, the weight of each head's memorization regularizer: one value for every head, with per-tap
 * overrides. Written as one setting, {@code heads.lambda}: {@code 0}, {@code 1.5}, {@code block2=1}
 * (others 0) or {@code 0.1,block3=10}.
 *
 * @param defaultValue λ of the heads on taps without an override
 * @param perTap λ by tap name
 */
public record Lambdas(double defaultValue, SortedMap<String, Double> perTap) {

  public Lambdas {
    requireLambda(defaultValue);
    perTap = Collections.unmodifiableSortedMap(new TreeMap<>(perTap));
    perTap.forEach(
        (tap, value) -> {
          require(
              tap != null && tap.matches("[A-Za-z0-9_-]+"),
              HEADS_LAMBDA,
              "has an invalid tap name '" + tap + "'");
          requireLambda(value);
        });
  }

  public static Lambdas of(double value) {
    return new Lambdas(value, new TreeMap<>());
  }

  public static Lambdas of(double defaultValue, Map<String, Double> perTap) {
    return new Lambdas(defaultValue, new TreeMap<>(perTap));
  }

  /** λ of the heads reading {@code tap}. */
  public double forTap(String tap) {
    return perTap.getOrDefault(tap, defaultValue);
  }

  /** The inverse of {@link #format()}. */
  public static Lambdas parse(String text) {
    require(text != null && !text.isBlank(), HEADS_LAMBDA, "is empty");
    Double fallback = null;
    SortedMap<String, Double> perTap = new TreeMap<>();
    for (String part : text.split(",", -1)) {
      String token = part.strip();
      int eq = token.indexOf('=');
      if (eq < 0) {
        require(fallback == null, HEADS_LAMBDA, "has two default values in '" + text + "'");
        fallback = number(token, text);
      } else {
        String tap = token.substring(0, eq).strip();
        require(
            !perTap.containsKey(tap),
            HEADS_LAMBDA,
            "names tap '" + tap + "' twice in '" + text + "'");
        perTap.put(tap, number(token.substring(eq + 1).strip(), text));
      }
    }
    return new Lambdas(fallback == null ? 0 : fallback, perTap);
  }

  /** {@code <default>[,<tap>=<value>...]}, taps sorted. */
  public String format() {
    StringBuilder text = new StringBuilder(Numbers.format(defaultValue));
    perTap.forEach(
        (tap, value) -> text.append(',').append(tap).append('=').append(Numbers.format(value)));
    return text.toString();
  }

  private static double number(String token, String text) {
    try {
      return Double.parseDouble(token) + 0.0;
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(
          HEADS_LAMBDA.key(),
          "must look like 0.5 or block2=1 or 0.1,block3=10, not '" + text + "'");
    }
  }

  private static void requireLambda(double value) {
    require(
        value >= 0 && Double.isFinite(value),
        HEADS_LAMBDA,
        "values must be >= 0, not " + Numbers.format(value));
  }
}
