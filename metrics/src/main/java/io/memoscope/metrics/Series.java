package io.memoscope.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One time series of one run, without the run and data set (which belong to the run): a family and
 * the values of its label keys, in the family's order.
 *
 * <p>{@link #storeKey(String)} makes the state store key {@code run NUL family NUL v1 NUL v2 …}:
 * all of one run's series share the prefix {@code run NUL}, so a prefix scan finds them, and the
 * key parses back without a schema. NUL cannot occur in a run id; it is removed from label values.
 */
public record Series(Family family, List<String> labelValues) {

  static final char SEPARATOR = '\u0000';

  /** Longer label values are cut: they come from events and must not blow up the page. */
  static final int MAX_LABEL_LENGTH = 128;

  public Series {
    Objects.requireNonNull(family, "family");
    if (labelValues.size() != family.labelKeys().size()) {
      throw new IllegalArgumentException(
          family + " takes labels " + family.labelKeys() + ", not " + labelValues);
    }
    labelValues = labelValues.stream().map(Series::clean).toList();
  }

  /** A series with the given labels; keys the family lacks are ignored, keys missing become "". */
  public static Series of(Family family, Map<String, String> labels) {
    List<String> values = new ArrayList<>(family.labelKeys().size());
    for (String key : family.labelKeys()) {
      values.add(labels.getOrDefault(key, ""));
    }
    return new Series(family, values);
  }

  public static Series of(Family family) {
    return new Series(family, List.of());
  }

  /**
   * This estimate's {@link Family#LOW} or {@link Family#HIGH} interval bound: the series of the
   * family's {@link Family#bounds()} with the same labels; empty if the family has no bounds.
   */
  public java.util.Optional<Series> bound(String which) {
    return family
        .bounds()
        .map(
            bounds -> {
              List<String> values = new ArrayList<>(labelValues);
              values.add(which);
              return new Series(bounds, values);
            });
  }

  /** Label keys to values, in export order. */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < labelValues.size(); i++) {
      labels.put(family.labelKeys().get(i), labelValues.get(i));
    }
    return labels;
  }

  public String storeKey(String run) {
    StringBuilder key = new StringBuilder(run).append(SEPARATOR).append(family.baseName());
    for (String value : labelValues) {
      key.append(SEPARATOR).append(value);
    }
    return key.toString();
  }

  /** The prefix every store key of {@code run}'s series starts with. */
  public static String storePrefix(String run) {
    return run + SEPARATOR;
  }

  /** The inverse of {@link #storeKey(String)}, without the run. */
  public static Series fromStoreKey(String key) {
    String[] parts = key.split(String.valueOf(SEPARATOR), -1);
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a series key: " + key.replace(SEPARATOR, '|'));
    }
    return new Series(Family.ofBaseName(parts[1]), Arrays.asList(parts).subList(2, parts.length));
  }

  private static String clean(String value) {
    String v = value == null ? "" : value.replace(String.valueOf(SEPARATOR), "");
    return v.length() > MAX_LABEL_LENGTH ? v.substring(0, MAX_LABEL_LENGTH) : v;
  }
}
