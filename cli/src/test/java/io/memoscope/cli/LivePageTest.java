package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.metrics.MetricsService;
import io.memoscope.protocol.config.KafkaConnection;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.metrics.StepMetrics;
import io.memoscope.trainer.stream.RunMode;
import io.memoscope.trainer.stream.RunOptions;
import io.memoscope.trainer.stream.RunTuning;
import io.memoscope.trainer.stream.StreamingRun;
import io.memoscope.trainer.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The live page in a real browser (Debian's headless Chromium through Selenium) while a real short
 * training runs in-process on the embedded broker: the page loads without a console error, lists
 * the run, and its charts gain points as the run goes on. The run pauses twice at fixed steps, so
 * that the page is seen with a run in progress whatever the machine's speed.
 *
 * <p>With {@code -Dmemoscope.screenshot=docs/live-page.png} it also saves a screenshot (a path
 * relative to the repository root).
 */
class LivePageTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String RUN = "live-page";
  private static final long FIRST_PAUSE = 8;
  private static final long SECOND_PAUSE = 52;

  @TempDir Path dir;

  @Test
  void thePageListsARealRunAndItsChartsGrow() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver; test.sh installs them)")
        .isTrue();
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            "page",
            "--count",
            "640",
            "--test-count",
            "64",
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();

    Gate first = new Gate(FIRST_PAUSE);
    Gate second = new Gate(SECOND_PAUSE);
    try (MetricsService metrics =
        new MetricsService(
                MetricsConfig.defaults(
                        new KafkaConnection(kafka.bootstrapServers(), Map.of()),
                        dir.resolve("metrics-state"))
                    .withApplicationId("page-test")
                    .withHttp("127.0.0.1", 0))
            .start()) {
      CompletableFuture<?> training = CompletableFuture.runAsync(() -> train(first, second));
      ChromeDriver driver = browser();
      try {
        JavascriptExecutor js = driver;
        List<LogEntry> logged = new CopyOnWriteArrayList<>();
        driver.get(metrics.url() + "/");
        assertThat(driver.getTitle()).contains("memoscope");
        // the browser log reaches the test (else "no console errors" below would prove nothing)
        js.executeScript("console.info('memoscope log check');");
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  logged.addAll(
                      driver
                          .manage()
                          .logs()
                          .get(LogType.BROWSER)
                          .getAll()); // each read drains the log
                  assertThat(logged)
                      .anySatisfy(
                          entry -> assertThat(entry.getMessage()).contains("memoscope log check"));
                });

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
        Thread.sleep(2500); // one more poll, so the picture shows everything up to the pause
        screenshot(driver);
        second.release.countDown();
        training.get(120, TimeUnit.SECONDS);

        logged.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        List<LogEntry> severe =
            logged.stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(severe).as("console errors").isEmpty();
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

  private static ChromeDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1440,1400",
        "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1440, 1400));
    return driver;
  }

  private static void screenshot(ChromeDriver driver) throws Exception {
    String target = System.getProperty("memoscope.screenshot", "");
    if (target.isBlank()) {
      return;
    }
    Path path = Path.of(target);
    if (!path.isAbsolute()) {
      path = repositoryRoot().resolve(path);
    }
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.copy(
        ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
        path,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path repositoryRoot() {
    for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
      if (Files.isDirectory(folder.resolve(".git"))
          || Files.isRegularFile(folder.resolve(".git"))) {
        return folder;
      }
    }
    return Path.of("").toAbsolutePath();
  }

  /** Four epochs of 20 steps, every step reported; the gates hold the run at their steps. */
  private void train(Gate... gates) {
    TrainingConfig config =
        TrainingConfig.fromFlatMap(
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
                "20"));
    TrainingListener pausing =
        new TrainingListener() {
          @Override
          public void onStep(StepMetrics metrics) {
            for (Gate gate : gates) {
              gate.pass(metrics.step());
            }
          }
        };
    RunOptions options =
        new RunOptions(
            RUN,
            new RunMode.Fresh("page", config),
            dir.resolve("runs").resolve(RUN),
            "test",
            new RunTuning(1, 5, 2, Duration.ofSeconds(30), 1000, 2));
    new StreamingRun(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            TopicSettings.DEFAULTS,
            options,
            pausing)
        .run();
  }

  /** Holds the training thread at one step until the test releases it (at most two minutes). */
  private static final class Gate {
    final long step;
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Gate(long step) {
      this.step = step;
    }

    void pass(long current) {
      if (current == step) {
        reached.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
