package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.cli.LivePageHarness.Console;
import io.memoscope.cli.LivePageHarness.Gate;
import io.memoscope.metrics.MetricsService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The live page in a real browser (Debian's headless Chromium through Selenium) while a real short
 * training runs in-process on the embedded broker: the page loads without a console error, lists
 * the run, and its charts gain points as the run goes on. The run pauses twice at fixed steps, so
 * that the page is seen with a run in progress whatever the machine's speed. {@link
 * LivePageHarness} has the set-up it shares with {@link SamplesViewTest}.
 *
 * <p>With {@code -Dmemoscope.screenshot=docs/live-page.png} it also saves a screenshot (a path
 * relative to the repository root).
 */
class LivePageTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String RUN = "live-page";
  private static final long FIRST_PAUSE = 8;
  private static final long SECOND_PAUSE = 52;

  @TempDir Path dir;

  @Test
  void thePageListsARealRunAndItsChartsGrow() throws Exception {
    LivePageHarness.requireChromium();
    LivePageHarness.ingestSynthetic(kafka.bootstrapServers(), "page", 640, 64);

    Gate first = new Gate(FIRST_PAUSE);
    Gate second = new Gate(SECOND_PAUSE);
    try (MetricsService metrics =
        LivePageHarness.metrics(
            kafka.bootstrapServers(), dir.resolve("metrics-state"), "page-test")) {
      CompletableFuture<?> training = CompletableFuture.runAsync(() -> train(first, second));
      ChromeDriver driver = LivePageHarness.browser();
      try {
        JavascriptExecutor js = driver;
        driver.get(metrics.url() + "/");
        assertThat(driver.getTitle()).contains("memoscope");
        Console console = new Console(driver);

        // paused at step 8: the page lists the run, selects it and draws what there is
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(training).isNotCompletedExceptionally();
                  assertThat(
                          driver.findElements(By.cssSelector("#runs tr[data-run='" + RUN + "']")))
                      .hasSize(1);
                  assertThat(points(js, "rla")).isPositive();
                });
        assertThat(first.reached.await(0, TimeUnit.SECONDS)).isTrue();
        long before = points(js, "rla");
        assertThat(driver.findElement(By.cssSelector("#runs tr[data-run='" + RUN + "']")).getText())
            .contains("page");

        // running again: the chart's data grows without a reload
        first.release.countDown();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(training).isNotCompletedExceptionally();
                  assertThat(points(js, "rla")).isGreaterThan(before);
                });
        // paused at step 52, after two epochs' evaluations: every chart has data
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(training).isNotCompletedExceptionally();
                  assertThat(second.reached.getCount()).isZero();
                  for (String chart : List.of("rla", "mi", "acc", "loss", "sps")) {
                    assertThat(points(js, chart)).as(chart).isPositive();
                  }
                  assertThat(points(js, "rla", "probe"))
                      .as("probe beside the co-trained heads")
                      .isPositive();
                  assertThat(driver.findElement(By.id("status")).getText()).startsWith("live");
                });
        // one more poll, so the picture shows everything up to the pause
        String polled = driver.findElement(By.id("status")).getText();
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> !driver.findElement(By.id("status")).getText().equals(polled));
        LivePageHarness.screenshot(driver, "memoscope.screenshot");
        second.release.countDown();
        training.get(120, TimeUnit.SECONDS);

        console.assertNoErrors();
      } finally {
        first.release.countDown();
        second.release.countDown();
        driver.quit();
        training.exceptionally(e -> null).get(120, TimeUnit.SECONDS);
      }
    }
  }

  private static long points(JavascriptExecutor js, String chart) {
    Object value =
        js.executeScript(
            "return window.memoscope ? window.memoscope.points(arguments[0]) : 0;", chart);
    return ((Number) value).longValue();
  }

  /** Points of one kind of series in a chart, e.g. the probe's in {@code rla}. */
  private static long points(JavascriptExecutor js, String chart, String variant) {
    Object value =
        js.executeScript(
            "return window.memoscope ? window.memoscope.points(arguments[0], arguments[1]) : 0;",
            chart,
            variant);
    return ((Number) value).longValue();
  }

  /** Four epochs of 20 steps, every step reported; the gates hold the run at their steps. */
  private void train(Gate... gates) {
    LivePageHarness.train(
        kafka.bootstrapServers(),
        RUN,
        "page",
        dir.resolve("runs").resolve(RUN),
        Map.of(
            "epochs",
            "4",
            "batch-size",
            "32",
            "model.width-scale",
            "0.5",
            "heads.taps",
            "block2,penultimate",
            "probe.every",
            "1",
            "probe.max-epochs",
            "20"),
        gates);
  }
}
