package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules, prometheus/rules/memoscope.yml, checked by Debian's promtool: they parse, and
 * they pass their unit tests (prometheus/rules/memoscope.test.yml: for each rule, synthetic series
 * that must fire and series that must not). Without promtool the tests fail rather than skip:
 * test.sh installs it. That Prometheus loads them is PrometheusScrapeTest's part.
 */
class AlertRulesTest {

  @Test
  void rulesParse() throws Exception {
    promtoolSucceeds("check", "rules", "prometheus/rules/memoscope.yml");
  }

  @Test
  void rulesPassTheirUnitTests() throws Exception {
    promtoolSucceeds("test", "rules", "prometheus/rules/memoscope.test.yml");
  }

  /** promtool with these arguments, the file (the last one) found in the checkout, must exit 0. */
  private static void promtoolSucceeds(String... args) throws Exception {
    assertThat(DemoPrometheus.onPath("promtool"))
        .as(
            "promtool is not on the PATH: Debian's prometheus package is not installed (test.sh installs it)")
        .isPresent();
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args).subList(0, args.length - 1));
    command.add(PrometheusScrapeTest.repositoryFile(args[args.length - 1]).toString());
    Process promtool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS))
        .as("%s did not end within 60 s", command)
        .isTrue();
    assertThat(promtool.exitValue())
        .as("%s exited %d:%n%s", command, promtool.exitValue(), output)
        .isZero();
  }
}
