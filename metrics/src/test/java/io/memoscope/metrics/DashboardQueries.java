package io.memoscope.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the provisioned Grafana dashboard ({@code grafana/dashboards/memoscope-memorization.json})
 * and pulls out every PromQL expression in it: panel targets (rows included) and Prometheus
 * annotations. The structure test checks them; a live-Prometheus test can run them through
 * Prometheus's HTTP API after {@link #resolve} has filled in the dashboard variables.
 */
public final class DashboardQueries {

  /** The dashboard file, relative to the repository root. */
  static final String DASHBOARD = "grafana/dashboards/memoscope-memorization.json";

  /**
   * One PromQL expression of the dashboard and where it sits ("panel 3 'title' target A",
   * "annotation 'x'").
   */
  public record Query(String where, String expr) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "atan2",
          "inf",
          "nan",
          "start",
          "end");

  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9][0-9a-z]*");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![A-Za-z0-9_:])[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");

  private DashboardQueries() {}

  /**
   * The dashboard file of the checkout, found from the module folder (Maven's basedir) or the
   * repository root.
   */
  public static Path dashboardFile() {
    Path base =
        Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    for (Path dir = base; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(DASHBOARD);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        DASHBOARD + " not found from " + base + " or any folder above it");
  }

  public static JsonNode read(Path dashboard) {
    try {
      return JSON.readTree(dashboard.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dashboard, e);
    }
  }

  /** Every panel of the dashboard, the panels inside rows included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dashboard.path("panels"), panels);
    return panels;
  }

  private static void collectPanels(JsonNode list, List<JsonNode> into) {
    for (JsonNode panel : list) {
      into.add(panel);
      collectPanels(panel.path("panels"), into);
    }
  }

  /** Every PromQL expression: panel targets, then annotations with an {@code expr}. */
  static List<Query> expressions(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          queries.add(
              new Query(
                  "panel "
                      + panel.path("id").asText()
                      + " '"
                      + panel.path("title").asText()
                      + "' target "
                      + target.path("refId").asText(),
                  target.get("expr").asText()));
        }
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.hasNonNull("expr")) {
        queries.add(
            new Query(
                "annotation '" + annotation.path("name").asText() + "'",
                annotation.get("expr").asText()));
      }
    }
    return queries;
  }

  /** The dashboard's expressions, read from the checkout's file. */
  public static List<Query> expressions() {
    return expressions(read(dashboardFile()));
  }

  /**
   * The query text of a template variable ({@code label_values(…)} for Prometheus query variables).
   */
  public static String variableQuery(JsonNode variable) {
    JsonNode query = variable.path("query");
    return query.isObject() ? query.path("query").asText() : query.asText();
  }

  /**
   * For a {@code label_values(selector, label)} variable query: the selector, or null when the
   * query has another form.
   */
  public static String labelValuesSelector(String variableQuery) {
    Matcher m = LABEL_VALUES.matcher(variableQuery);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * Replaces dashboard variables ({@code $name}, {@code ${name}}) with values, longest names first,
   * e.g. {@code resolve(expr, Map.of("run", "my-run"))} or {@code Map.of("run", ".*")}.
   */
  public static String resolve(String expr, Map<String, String> variables) {
    String out = expr;
    List<String> names = new ArrayList<>(variables.keySet());
    names.sort((a, b) -> b.length() - a.length());
    for (String name : names) {
      String value = Matcher.quoteReplacement(variables.get(name));
      out =
          out.replaceAll("\\$\\{" + Pattern.quote(name) + "}", value)
              .replaceAll("\\$" + Pattern.quote(name) + "(?![A-Za-z0-9_])", value);
    }
    return out;
  }

  /**
   * The metric names a PromQL expression selects (approximate parser: drops string literals, label
   * matchers, ranges, grouping clauses, offsets and numbers, then keeps the identifiers that are
   * not function calls or keywords).
   */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = OFFSET.matcher(s).replaceAll(" ");
    s = NUMBER.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String name = m.group();
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      boolean call = next < s.length() && s.charAt(next) == '(';
      if (!call && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
