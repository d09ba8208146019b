package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memoscope.metrics.DashboardQueries.Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provisioned Grafana dashboard is well formed: every panel names the provisioned datasource by
 * uid, every query is scoped to the {@code run} variable, no run id is baked in, and every metric
 * it asks for is one the metrics service publishes. Each check returns the problems it finds, so
 * the tests at the end can show it catches a broken dashboard.
 */
class DashboardStructureTest {

  /** The datasource uid of grafana/provisioning/datasources/prometheus.yml. */
  static final String DATASOURCE_UID = "memoscope-prometheus";

  /**
   * The series the metrics service publishes (docs/metrics.md, the metrics contract), plus the
   * suffixes Prometheus adds to them. A dashboard query on anything else shows nothing.
   */
  static final Set<String> PUBLISHED =
      Set.of(
          "memoscope_random_label_accuracy",
          "memoscope_random_label_chance",
          "memoscope_memorization_index",
          "memoscope_probe_random_label_accuracy",
          "memoscope_probe_memorization_index",
          "memoscope_accuracy",
          "memoscope_generalization_gap",
          "memoscope_loss",
          "memoscope_lambda",
          "memoscope_learning_rate",
          "memoscope_epoch",
          "memoscope_step",
          "memoscope_samples_per_second",
          "memoscope_update_ratio",
          "memoscope_consumer_lag_records",
          "memoscope_epoch_samples",
          "memoscope_checkpoints_total",
          "memoscope_resumes_total",
          "memoscope_broker_waits_total",
          "memoscope_run_dead_letters_total",
          "memoscope_dead_letter_records_total",
          "memoscope_ingest_records",
          "memoscope_run_info",
          "memoscope_run_finished",
          "memoscope_run_failed",
          "memoscope_run_diverged",
          "memoscope_publish_failures_total",
          "memoscope_samples_memorized_fraction",
          "memoscope_samples",
          "memoscope_events_total",
          "memoscope_events_duplicate_total",
          "memoscope_events_invalid_total");

  /** Looks like a run id the launcher makes: {@code <dataset>-yyyyMMdd-HHmmss}. */
  static final Pattern GENERATED_RUN_ID = Pattern.compile("\\d{8}-\\d{6}");

  /** A {@code run} matcher whose value is a literal instead of the variable. */
  static final Pattern RUN_MATCHER = Pattern.compile("\\brun\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

  JsonNode dashboard;

  @BeforeEach
  void load() {
    Path file = DashboardQueries.dashboardFile();
    assertThat(file).isRegularFile();
    assertThat(file.toString()).endsWith(Path.of(DashboardQueries.DASHBOARD).toString());
    dashboard = DashboardQueries.read(file);
  }

  @Test
  void isTheMemorizationDashboardWithAStableUid() {
    assertThat(dashboard.path("title").asText()).isEqualTo("memoscope — memorization");
    assertThat(dashboard.path("uid").asText()).isEqualTo("memoscope-memorization");
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.has("id")).as("a provisioned dashboard carries no database id").isFalse();
  }

  @Test
  void everyPanelHasTheProvisionedDatasource() {
    assertThat(DashboardQueries.panels(dashboard)).hasSizeGreaterThanOrEqualTo(8);
    assertThat(datasourceProblems(dashboard)).isEmpty();
  }

  @Test
  void panelIdsAndRefIdsAreUnique() {
    List<Integer> ids =
        DashboardQueries.panels(dashboard).stream().map(p -> p.path("id").asInt(-1)).toList();
    assertThat(ids).doesNotContain(-1).doesNotHaveDuplicates();
    for (JsonNode panel : DashboardQueries.panels(dashboard)) {
      List<String> refIds = new ArrayList<>();
      panel.path("targets").forEach(t -> refIds.add(t.path("refId").asText()));
      assertThat(refIds)
          .as("refIds of panel %s", panel.path("title").asText())
          .doesNotContain("")
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void everyQueryUsesTheRunVariableAndNoRunIdLiteral() {
    List<Query> queries = DashboardQueries.expressions(dashboard);
    assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
    assertThat(runScopeProblems(queries)).isEmpty();
  }

  @Test
  void theFileHoldsNothingThatLooksLikeARunId() throws Exception {
    String text = Files.readString(DashboardQueries.dashboardFile());
    assertThat(GENERATED_RUN_ID.matcher(text).find())
        .as("a generated run id in the dashboard JSON")
        .isFalse();
  }

  @Test
  void everyMetricIsOneTheMetricsServicePublishes() {
    assertThat(unknownMetrics(DashboardQueries.expressions(dashboard))).isEmpty();
  }

  @Test
  void thePanelsOfIssue6AreThere() {
    Set<String> used = new TreeSet<>();
    for (Query query : DashboardQueries.expressions(dashboard)) {
      used.addAll(DashboardQueries.metricNames(query.expr()));
    }
    assertThat(used)
        .contains(
            "memoscope_random_label_accuracy",
            "memoscope_random_label_chance",
            "memoscope_memorization_index",
            "memoscope_accuracy",
            "memoscope_generalization_gap",
            "memoscope_loss",
            "memoscope_lambda",
            "memoscope_learning_rate",
            "memoscope_samples_per_second",
            "memoscope_consumer_lag_records",
            "memoscope_run_dead_letters_total",
            "memoscope_broker_waits_total",
            "memoscope_update_ratio",
            "memoscope_checkpoints_total",
            "memoscope_resumes_total",
            "memoscope_epoch");
    JsonNode ratio =
        DashboardQueries.panels(dashboard).stream()
            .filter(p -> p.toString().contains("memoscope_update_ratio"))
            .findFirst()
            .orElseThrow();
    assertThat(ratio.at("/fieldConfig/defaults/custom/scaleDistribution/type").asText())
        .isEqualTo("log");
    List<String> annotations = new ArrayList<>();
    dashboard
        .path("annotations")
        .path("list")
        .forEach(
            a -> {
              if (a.has("expr")) {
                annotations.add(a.path("name").asText());
              }
            });
    assertThat(annotations)
        .containsExactlyInAnyOrder("Checkpoints", "Resumes", "Epoch ends", "Divergences");
  }

  /**
   * Issue 14: a diverged run is marked (its losses are NaN and draw nothing), and lost records are
   * counted.
   */
  @Test
  void divergenceIsAnAnnotationAndPublishFailuresAreDrawn() {
    Set<String> used = new TreeSet<>();
    for (Query query : DashboardQueries.expressions(dashboard)) {
      used.addAll(DashboardQueries.metricNames(query.expr()));
    }
    assertThat(used).contains("memoscope_run_diverged", "memoscope_publish_failures_total");
  }

  @Test
  void publishedListsEveryExportedFamily() {
    for (Family family : Family.values()) {
      if (family.exported()) {
        assertThat(PUBLISHED).as("PUBLISHED lists " + family).contains(family.sampleName());
      } else {
        assertThat(PUBLISHED)
            .as("interval bounds are not on /metrics")
            .doesNotContain(family.sampleName());
      }
    }
  }

  @Test
  void theProbePanelComparesProbeAndCoTrainedAccuracy() {
    JsonNode panel =
        DashboardQueries.panels(dashboard).stream()
            .filter(
                p -> p.path("title").asText().equals("Probe vs co-trained random-label accuracy"))
            .findFirst()
            .orElseThrow();
    List<String> exprs = new ArrayList<>();
    panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    assertThat(exprs)
        .contains(
            "memoscope_probe_random_label_accuracy{run=~\"$run\", split=\"train\"}",
            "memoscope_probe_random_label_accuracy{run=~\"$run\", split=\"test\"}",
            "memoscope_random_label_accuracy{run=~\"$run\", mode=\"evaluated\", split=\"train\"}");
    assertThat(panel.at("/fieldConfig/defaults/unit").asText()).isEqualTo("percentunit");
    JsonNode index =
        DashboardQueries.panels(dashboard).stream()
            .filter(p -> p.path("title").asText().equals("Memorization index per head"))
            .findFirst()
            .orElseThrow();
    List<String> indexExprs = new ArrayList<>();
    index.path("targets").forEach(t -> indexExprs.add(t.path("expr").asText()));
    assertThat(indexExprs).contains("memoscope_probe_memorization_index{run=~\"$run\"}");
  }

  @Test
  void theRunVariableIsAMultiSelectOverRunInfo() {
    JsonNode run = runVariable(dashboard);
    assertThat(run).as("template variable 'run'").isNotNull();
    assertThat(run.path("type").asText()).isEqualTo("query");
    assertThat(run.path("multi").asBoolean()).isTrue();
    assertThat(run.path("includeAll").asBoolean()).isTrue();
    assertThat(run.at("/datasource/uid").asText()).isEqualTo(DATASOURCE_UID);
    String query = DashboardQueries.variableQuery(run);
    assertThat(query).isEqualTo("label_values(memoscope_run_info, run)");
    assertThat(DashboardQueries.metricNames(DashboardQueries.labelValuesSelector(query)))
        .containsExactly("memoscope_run_info");
  }

  // --- the checks -------------------------------------------------------------------------

  static List<String> datasourceProblems(JsonNode dashboard) {
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : DashboardQueries.panels(dashboard)) {
      String name =
          "panel " + panel.path("id").asText() + " '" + panel.path("title").asText() + "'";
      if ("row".equals(panel.path("type").asText())) {
        continue;
      }
      if (!DATASOURCE_UID.equals(panel.at("/datasource/uid").asText())) {
        problems.add(name + ": datasource " + panel.path("datasource"));
      }
      if (panel.path("targets").isEmpty()) {
        problems.add(name + ": no targets");
      }
      for (JsonNode target : panel.path("targets")) {
        JsonNode ds = target.path("datasource");
        if (!ds.isMissingNode() && !DATASOURCE_UID.equals(ds.path("uid").asText())) {
          problems.add(name + " target " + target.path("refId").asText() + ": datasource " + ds);
        }
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.has("expr")
          && !DATASOURCE_UID.equals(annotation.at("/datasource/uid").asText())) {
        problems.add(
            "annotation '"
                + annotation.path("name").asText()
                + "': datasource "
                + annotation.path("datasource"));
      }
    }
    return problems;
  }

  static List<String> runScopeProblems(List<Query> queries) {
    List<String> problems = new ArrayList<>();
    for (Query query : queries) {
      String expr = query.expr();
      if (!expr.contains("run=~\"$run\"")) {
        problems.add(query.where() + ": does not select run=~\"$run\": " + expr);
      }
      Matcher m = RUN_MATCHER.matcher(expr);
      while (m.find()) {
        if (!m.group(1).equals("=~") || !m.group(2).equals("$run")) {
          problems.add(query.where() + ": run matcher " + m.group() + " is not run=~\"$run\"");
        }
      }
      if (GENERATED_RUN_ID.matcher(expr).find()) {
        problems.add(query.where() + ": a run id literal in " + expr);
      }
      if (DashboardQueries.metricNames(expr).isEmpty()) {
        problems.add(query.where() + ": selects no metric: " + expr);
      }
    }
    return problems;
  }

  static List<String> unknownMetrics(List<Query> queries) {
    List<String> problems = new ArrayList<>();
    for (Query query : queries) {
      for (String name : DashboardQueries.metricNames(query.expr())) {
        if (!PUBLISHED.contains(name)) {
          problems.add(query.where() + ": unknown metric " + name);
        }
      }
    }
    return problems;
  }

  static JsonNode runVariable(JsonNode dashboard) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if ("run".equals(variable.path("name").asText())) {
        return variable;
      }
    }
    return null;
  }

  // --- the checks catch a broken dashboard --------------------------------------------------

  @Test
  void theChecksCatchAPanelWithoutDatasource() {
    ObjectNode broken = dashboard.deepCopy();
    ((ObjectNode) broken.withArray("panels").get(0)).remove("datasource");
    ((ObjectNode) broken.withArray("panels").get(1).withArray("targets").get(0))
        .putObject("datasource")
        .put("type", "prometheus")
        .put("uid", "some-other-prometheus");
    assertThat(datasourceProblems(broken)).hasSize(2);
  }

  @Test
  void theChecksCatchAQueryWithoutTheRunVariable() {
    List<Query> broken =
        List.of(
            new Query("a", "memoscope_loss"),
            new Query("b", "memoscope_loss{run=\"fashion-mnist-20261127-101500\"}"),
            new Query("c", "memoscope_loss{run=~\"$run\"} or memoscope_loss{run!=\"x\"}"));
    assertThat(runScopeProblems(broken))
        .hasSize(5)
        .anySatisfy(p -> assertThat(p).startsWith("a:"))
        .anySatisfy(p -> assertThat(p).startsWith("b:").contains("run id"))
        .anySatisfy(p -> assertThat(p).startsWith("c:").contains("run!="));
  }

  @Test
  void theChecksCatchAnUnknownMetric() {
    ObjectNode broken = dashboard.deepCopy();
    ArrayNode targets = broken.withArray("panels").get(0).withArray("targets");
    ((ObjectNode) targets.get(0))
        .put("expr", "rate(memoscope_random_label_acc{run=~\"$run\"}[1m])");
    assertThat(unknownMetrics(DashboardQueries.expressions(broken)))
        .singleElement()
        .asString()
        .contains("memoscope_random_label_acc");
  }

  @Test
  void metricNamesSkipsFunctionsLabelsRangesAndKeywords() {
    assertThat(
            DashboardQueries.metricNames(
                "sum by (run, head) (rate(memoscope_loss{run=~\"$run\", term=\"class\"}[5m] offset 1m)) "
                    + "/ on(run) group_left(dataset) memoscope_run_info{run=~\"$run\"} > 1e-3"))
        .containsExactly("memoscope_loss", "memoscope_run_info");
    assertThat(DashboardQueries.metricNames("changes(memoscope_epoch{run=~\"$run\"}[1m]) > 0"))
        .containsExactly("memoscope_epoch");
  }

  @Test
  void resolveFillsInTheRunVariable() {
    assertThat(
            DashboardQueries.resolve(
                "memoscope_loss{run=~\"$run\"} + x{r=\"${run}\"} + $runs", Map.of("run", "a|b")))
        .isEqualTo("memoscope_loss{run=~\"a|b\"} + x{r=\"a|b\"} + $runs");
  }
}
