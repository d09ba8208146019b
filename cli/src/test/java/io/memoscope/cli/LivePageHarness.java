package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * What the live page's browser tests ({@link LivePageTest}, {@link SamplesViewTest}) share:
 * Debian's headless Chromium through Selenium with its console log, a synthetic data set ingested
 * through the CLI, the metrics service on the embedded broker, a real training run in-process that
 * {@link Gate}s hold at fixed steps, and screenshots for the docs.
 */
final class LivePageHarness {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private LivePageHarness() {}

  /** Fails, not skips, without Chromium: the page would otherwise go untested unnoticed. */
  static void requireChromium() {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver; test.sh installs them)")
        .isTrue();
  }

  /** {@code memoscope ingest --source synthetic} of 12×12 images, train and test split. */
  static void ingestSynthetic(String bootstrap, String dataset, int count, int testCount) {
    CliRun ingest =
        CliRun.of(
            Map.of(),
            "ingest",
            "--source",
            "synthetic",
            "--dataset",
            dataset,
            "--count",
            Integer.toString(count),
            "--test-count",
            Integer.toString(testCount),
            "--height",
            "12",
            "--width",
            "12",
            "--bootstrap",
            bootstrap);
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
  }

  /** The metrics service on the broker, HTTP on a free local port. */
  static MetricsService metrics(String bootstrap, Path stateDir, String applicationId) {
    return new MetricsService(
            MetricsConfig.defaults(new KafkaConnection(bootstrap, Map.of()), stateDir)
                .withApplicationId(applicationId)
                .withHttp("127.0.0.1", 0))
        .start();
  }

  /**
   * A training run of {@code dataset}, every step reported, in the calling thread; the gates hold
   * it at their steps.
   */
  static void train(
      String bootstrap,
      String run,
      String dataset,
      Path runDir,
      Map<String, String> config,
      Gate... gates) {
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
            run,
            new RunMode.Fresh(dataset, TrainingConfig.fromFlatMap(config)),
            runDir,
            "test",
            new RunTuning(1, 5, 2, Duration.ofSeconds(30), 1000, 2));
    new StreamingRun(
            Map.of("bootstrap.servers", bootstrap), TopicSettings.DEFAULTS, options, pausing)
        .run();
  }

  /** Headless Chromium, 1440×1400, its console log at every level. */
  static ChromeDriver browser() {
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

  /**
   * Saves a screenshot (of the page, or of one element) where the system property {@code property}
   * says, a path relative to the repository root; nothing without the property.
   */
  static void screenshot(TakesScreenshot source, String property) throws Exception {
    String target = System.getProperty(property, "");
    if (target.isBlank()) {
      return;
    }
    Path path = Path.of(target);
    if (!path.isAbsolute()) {
      path = repositoryRoot().resolve(path);
    }
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.copy(
        source.getScreenshotAs(OutputType.FILE).toPath(),
        path,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * As {@link #screenshot}, of one element whole: the window first grows to the page's height, as
   * Chromium pictures only what is in the viewport.
   */
  static void screenshot(ChromeDriver driver, WebElement element, String property)
      throws Exception {
    if (System.getProperty(property, "").isBlank()) {
      return;
    }
    Number height =
        (Number)
            ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollHeight;");
    Dimension size = driver.manage().window().getSize();
    driver
        .manage()
        .window()
        .setSize(
            new Dimension(size.getWidth(), Math.max(size.getHeight(), height.intValue() + 200)));
    screenshot(element, property);
    driver.manage().window().setSize(size);
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

  /**
   * The browser's console log, collected over a test (each read of Selenium's log drains it). Made
   * on a loaded page: it first checks that a line logged by the page reaches the test, else "no
   * console errors" would prove nothing.
   *
   * <p>An error is any entry at SEVERE but one: Chromium's network line for a {@code 503} of the
   * service's {@code /api/} paths. That is the service's documented "retry later" (Kafka Streams'
   * stores cannot be queried while it rebalances, which a topic created during a run can cause),
   * the page retries at its next poll, and the tests then check what it shows.
   */
  static final class Console {
    private static final Pattern RETRY_LATER =
        Pattern.compile(
            "https?://[^ ]+/api/runs/[^ ]+ - Failed to load resource: the server responded with a"
                + " status of 503 \\(Service Unavailable\\)");
    private final ChromeDriver driver;
    private final List<LogEntry> logged = new CopyOnWriteArrayList<>();

    Console(ChromeDriver driver) {
      this.driver = driver;
      ((JavascriptExecutor) driver).executeScript("console.info('memoscope log check');");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                collect();
                assertThat(logged)
                    .anySatisfy(
                        entry -> assertThat(entry.getMessage()).contains("memoscope log check"));
              });
    }

    private void collect() {
      logged.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    }

    void assertNoErrors() {
      collect();
      List<LogEntry> severe = new ArrayList<>();
      for (LogEntry entry : logged) {
        if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
            && !RETRY_LATER.matcher(entry.getMessage()).matches()) {
          severe.add(entry);
        }
      }
      assertThat(severe).as("console errors").isEmpty();
    }
  }

  /** Holds the training thread at one step until the test releases it (at most two minutes). */
  static final class Gate {
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
