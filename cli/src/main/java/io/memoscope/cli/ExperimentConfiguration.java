package io.memoscope.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One entry of a sweep's runs (a set of overrides of the base) with its runs, one per seed. The
 * report's aggregates and paired comparisons are made per configuration.
 */
record ExperimentConfiguration(
    String name, Map<String, String> overrides, List<ExperimentRun> runs) {

  /** The runs grouped by configuration, in the order each configuration first appears. */
  static List<ExperimentConfiguration> group(List<ExperimentRun> runs) {
    Map<String, List<ExperimentRun>> byName = new LinkedHashMap<>();
    runs.forEach(run -> byName.computeIfAbsent(run.configuration, n -> new ArrayList<>()).add(run));
    List<ExperimentConfiguration> configurations = new ArrayList<>();
    byName.forEach(
        (name, its) ->
            configurations.add(
                new ExperimentConfiguration(name, its.get(0).overrides, List.copyOf(its))));
    return configurations;
  }

  /** Runs that finished with an evaluation and a known seed. */
  List<ExperimentRun> measured() {
    return runs.stream().filter(r -> r.measured() && r.seed() != null).toList();
  }

  long failed() {
    return runs.stream().filter(ExperimentRun::failed).count();
  }

  /** Seed → the metric of that seed's measured run, NaN values left out; by seed. */
  Map<Long, Double> bySeed(ToDoubleFunction<ExperimentRun> metric) {
    Map<Long, Double> values = new TreeMap<>();
    for (ExperimentRun run : measured()) {
      double value = metric.applyAsDouble(run);
      if (Double.isFinite(value)) {
        values.put(run.seed(), value);
      }
    }
    return values;
  }

  /** The metric's mean over seeds with its 95 % interval. */
  SeedInterval overSeeds(ToDoubleFunction<ExperimentRun> metric) {
    return SeedInterval.of(bySeed(metric).values());
  }

  /** This configuration against another, seed by seed. */
  PairedComparison versus(
      ExperimentConfiguration baseline, ToDoubleFunction<ExperimentRun> metric) {
    return PairedComparison.of(bySeed(metric), baseline.bySeed(metric));
  }

  /**
   * The settings it overrides that change training: {@code probe.*} aside, since the probe only
   * reads the network (a λ run that also probes is still a λ run).
   */
  Set<String> trainingOverrides() {
    return overrides.keySet().stream()
        .filter(key -> !key.startsWith("probe."))
        .collect(Collectors.toSet());
  }

  /** λ as resolved by its first run with a config, when it is one plain number. */
  OptionalDouble lambda() {
    return runs.stream()
        .filter(r -> r.config != null)
        .map(ExperimentRun::lambda)
        .findFirst()
        .orElse(OptionalDouble.empty());
  }

  /** "(base)" or {@code key=value, …}. */
  String overridesText() {
    return overrides.isEmpty()
        ? "(base)"
        : overrides.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(", "));
  }
}
