package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.cli.LivePageHarness.Console;
import io.memoscope.cli.LivePageHarness.Gate;
import io.memoscope.metrics.MetricsService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The live page's Samples view in headless Chromium during a real run (set-up shared with {@link
 * LivePageTest} in {@link LivePageHarness}): before the first evaluation it says there is no
 * per-sample data yet; paused after some evaluations, its three strips hold the samples the
 * service's {@code /api/runs/{id}/samples} lists for them (thumbnails that loaded), the groups and
 * per-class rates are the API's, for either head and for the probe (listed after the heads); a
 * click on a thumbnail shows the sample's timeline with one cell per evaluation (a probe's hatched
 * where it did not run); released, the view and the timeline follow the run to its end. No console
 * error.
 *
 * <p>The run is made to memorize within seconds: 96 training images, batches of 16, MLP heads on
 * two taps, an evaluation every 3 steps. Paused at step 42, its heads predict the random labels of
 * a quarter to a third of the samples (chance: a tenth) while the class head still gets about a
 * third wrong, so every strip has samples. With {@code
 * -Dmemoscope.samples-screenshot=docs/samples-view.png} it saves a screenshot of the view (a path
 * relative to the repository root).
 */
class SamplesViewTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String RUN = "samples-view";
  private static final String DATASET = "memo";
  private static final int EVAL_EVERY = 3;
  private static final String PROBE = "probe:penultimate/0";
  private static final long BEFORE_FIRST_EVALUATION = 1;
  private static final long PAUSE = 42;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, String> STRIPS =
      Map.of(
          "earliest", "order=onset&filter=memorized",
          "never", "order=onset&filter=never",
          "misclassified", "order=onset&filter=misclassified-memorized");

  @TempDir Path dir;

  @Test
  void theSamplesViewShowsTheApisStripsRatesAndTimelinesOfARealRun() throws Exception {
    LivePageHarness.requireChromium();
    LivePageHarness.ingestSynthetic(kafka.bootstrapServers(), DATASET, 96, 32);

    Gate early = new Gate(BEFORE_FIRST_EVALUATION);
    Gate pause = new Gate(PAUSE);
    try (MetricsService metrics =
        LivePageHarness.metrics(
            kafka.bootstrapServers(), dir.resolve("metrics-state"), "samples-view-test")) {
      CompletableFuture<?> training = CompletableFuture.runAsync(() -> train(early, pause));
      ChromeDriver driver = LivePageHarness.browser();
      try {
        JavascriptExecutor js = driver;
        driver.get(metrics.url() + "/");
        Console console = new Console(driver);
        WebElement view = driver.findElement(By.id("samples"));

        // before the first evaluation: the run is listed, and the view says it has no samples yet
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(300))
            .untilAsserted(
                () -> {
                  assertThat(training).isNotCompletedExceptionally();
                  assertThat(early.reached.getCount()).isZero();
                  assertThat(view.getAttribute("data-state")).isEqualTo("waiting");
                  assertThat(driver.findElement(By.id("samples-empty")).getText())
                      .contains("no per-sample data for " + RUN + " yet");
                });
        early.release.countDown();

        // paused after 13 evaluations: the view shows what the API says, for each head
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(training).isNotCompletedExceptionally();
                  assertThat(pause.reached.getCount()).isZero();
                  assertThat(api(metrics, "").path("lastStep").asLong())
                      .isEqualTo(PAUSE - EVAL_EVERY);
                });
        JsonNode all = api(metrics, "");
        List<String> heads = new ArrayList<>();
        all.path("heads").forEach(head -> heads.add(head.asText()));
        assertThat(heads).hasSize(2);
        showsTheApi(driver, metrics, heads.get(0));
        assertThat(driver.findElement(By.id("samples-head-pick")).isDisplayed()).isTrue();
        // the probe (every 4th evaluation) is listed after the heads and shown like one
        assertThat(all.path("probes").toString()).isEqualTo("[\"" + PROBE + "\"]");
        new Select(driver.findElement(By.id("samples-head"))).selectByValue(PROBE);
        showsTheApi(driver, metrics, PROBE);
        new Select(driver.findElement(By.id("samples-head"))).selectByValue(heads.get(1));
        showsTheApi(driver, metrics, heads.get(1));
        assertThat(
                api(metrics, "?head=" + encode(heads.get(1)) + "&filter=memorized")
                    .path("matching")
                    .asInt())
            .as("samples the second head memorized")
            .isPositive();

        // a click on a thumbnail shows its timeline: one cell per evaluation, per row
        WebElement thumb =
            driver.findElement(By.cssSelector("#samples .strip[data-strip='earliest'] .thumb"));
        String index = thumb.getAttribute("data-index");
        thumb.click();
        JsonNode timeline = api(metrics, "/" + index).path("timeline");
        assertThat(timeline.size()).isEqualTo(all.path("evaluations").asInt());
        await()
            .atMost(TIMEOUT)
            .untilAsserted(
                () -> {
                  WebElement detail = driver.findElement(By.id("samples-detail"));
                  assertThat(detail.isDisplayed()).isTrue();
                  assertThat(detail.getAttribute("data-index")).isEqualTo(index);
                  assertThat(
                          detail
                              .findElement(By.className("timeline"))
                              .getAttribute("data-evaluations"))
                      .isEqualTo(Integer.toString(timeline.size()));
                  for (String row :
                      List.of("class", "head:" + heads.get(0), "head:" + heads.get(1))) {
                    assertThat(
                            detail.findElements(
                                By.cssSelector(".tl-row[data-row='" + row + "'] .cell")))
                        .as(row)
                        .hasSize(timeline.size());
                  }
                  assertThat(
                          detail.findElements(
                              By.cssSelector(".tl-row[data-row='class'] .cell.yes")))
                      .hasSize(count(timeline, "classRight"));
                  // the probe's row: a cell per evaluation, hatched where it did not run
                  String probeRow = ".tl-row[data-row='head:" + PROBE + "'] .cell";
                  assertThat(detail.findElements(By.cssSelector(probeRow)))
                      .hasSize(timeline.size());
                  assertThat(detail.findElements(By.cssSelector(probeRow + ".none")))
                      .hasSize(timeline.size() - timeline.findValues(PROBE).size());
                  assertThat(detail.getText()).contains("Sample #" + index);
                  assertThat(loadedImages(js, "#samples-detail img")).isEqualTo(1);
                });
        LivePageHarness.screenshot(driver, view, "memoscope.samples-screenshot");

        // the run goes on to its end: the view and the open timeline follow without a reload
        pause.release.countDown();
        training.get(120, TimeUnit.SECONDS);
        JsonNode last = api(metrics, "");
        assertThat(last.path("lastStep").asLong()).isGreaterThan(PAUSE);
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(view.getAttribute("data-last-step"))
                      .isEqualTo(last.path("lastStep").asText());
                  assertThat(
                          driver
                              .findElement(By.cssSelector("#samples-detail .timeline"))
                              .getAttribute("data-evaluations"))
                      .isEqualTo(last.path("evaluations").asText());
                });
        console.assertNoErrors();
      } finally {
        early.release.countDown();
        pause.release.countDown();
        driver.quit();
        training.exceptionally(e -> null).get(120, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The view shows {@code head}: each strip the samples, in order, and the count the API lists for
   * its filter, as thumbnails that loaded; the four groups and the per-class rates.
   */
  private static void showsTheApi(ChromeDriver driver, MetricsService metrics, String head) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              WebElement view = driver.findElement(By.id("samples"));
              JsonNode all = api(metrics, "?head=" + encode(head));
              assertThat(view.getAttribute("data-head")).isEqualTo(head);
              assertThat(view.getAttribute("data-last-step"))
                  .isEqualTo(all.path("lastStep").asText());
              int thumbnails = 0;
              for (Map.Entry<String, String> strip : STRIPS.entrySet()) {
                JsonNode listed =
                    api(metrics, "?" + strip.getValue() + "&limit=40&head=" + encode(head));
                WebElement shown =
                    view.findElement(By.cssSelector(".strip[data-strip='" + strip.getKey() + "']"));
                assertThat(shown.getAttribute("data-matching"))
                    .as(strip.getKey())
                    .isEqualTo(listed.path("matching").asText());
                assertThat(shown.findElement(By.className("count")).getText())
                    .startsWith(listed.path("matching").asText());
                List<String> indices = new ArrayList<>();
                listed.path("samples").forEach(row -> indices.add(row.path("index").asText()));
                assertThat(
                        shown.findElements(By.className("thumb")).stream()
                            .map(thumb -> thumb.getAttribute("data-index"))
                            .toList())
                    .as(strip.getKey())
                    .containsExactlyElementsOf(indices);
                thumbnails += indices.size();
              }
              assertThat(thumbnails).isPositive();
              assertThat(loadedImages(driver, "#samples .thumb img")).isEqualTo(thumbnails);
              JsonNode groups = all.path("groups");
              groups
                  .fieldNames()
                  .forEachRemaining(
                      group ->
                          assertThat(
                                  view.findElement(By.cssSelector("[data-group='" + group + "'] b"))
                                      .getText())
                              .as(group)
                              .isEqualTo(groups.path(group).asText()));
              JsonNode byClass = all.path("memorizedByClass");
              assertThat(view.findElements(By.className("class-row"))).hasSize(byClass.size());
              byClass.forEach(
                  share ->
                      assertThat(
                              view.findElement(
                                      By.cssSelector(
                                          ".class-row[data-class='"
                                              + share.path("class").asText()
                                              + "'] .value"))
                                  .getText())
                          .contains(
                              "(" + share.path("memorized") + "/" + share.path("samples") + ")"));
            });
  }

  /** Images matching {@code selector} that loaded (a decoded picture, not a broken icon). */
  private static long loadedImages(JavascriptExecutor js, String selector) {
    Object loaded =
        js.executeScript(
            "return Array.from(document.querySelectorAll(arguments[0]))"
                + ".filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;",
            selector);
    return ((Number) loaded).longValue();
  }

  private static int count(JsonNode timeline, String field) {
    int n = 0;
    for (JsonNode point : timeline) {
      n += point.path(field).asBoolean() ? 1 : 0;
    }
    return n;
  }

  private static JsonNode api(MetricsService metrics, String rest)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(metrics.url() + "/api/runs/" + RUN + "/samples" + rest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * 8 epochs of 6 steps, an evaluation every 3 steps, two heads, a probe of the penultimate tap at
   * every 4th evaluation; the gates hold the run.
   */
  private void train(Gate... gates) {
    Map<String, String> config =
        new java.util.HashMap<>(
            Map.of(
                "epochs",
                "8",
                "heads.kind",
                "mlp",
                "heads.hidden-width",
                "128",
                "batch-size",
                "16",
                "model.width-scale",
                "0.5",
                "heads.taps",
                "block2,penultimate",
                "eval.unit",
                "steps",
                "eval.every",
                Integer.toString(EVAL_EVERY),
                "probe.every",
                "4",
                "probe.taps",
                "penultimate"));
    config.put("probe.max-epochs", "5");
    LivePageHarness.train(
        kafka.bootstrapServers(), RUN, DATASET, dir.resolve("runs").resolve(RUN), config, gates);
  }
}
