package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.memoscope.broker.EmbeddedKafka;
import io.memoscope.broker.EmbeddedKafkaConfig;
import io.memoscope.broker.Security;
import io.memoscope.broker.TlsMaterial;
import io.memoscope.metrics.MetricsConfig;
import io.memoscope.metrics.MetricsService;
import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.config.KafkaConnection;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * memoscope against a broker that takes SASL_SSL + SCRAM-SHA-512 only and authorizes with ACLs
 * (docs/security.md): ingest, train, the metrics service and replay each as their own user with the
 * ACLs the docs list, all given their client settings by one settings file. The broker has no
 * plaintext listener, so any Kafka client that missed the settings cannot connect, and each step's
 * result (records, events, the run finished on {@code /api/runs}, a matching replay) needs those
 * clients. Then the failures (wrong password, untrusted certificate, missing ACLs) and, last, that
 * no password shows anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredClusterTest {

  private static final String DATASET = "secured-syn";
  private static final String RUN = "secured";

  /** The failures' --timeout, and how long each may take: the timeout and the command's start. */
  private static final String TIMEOUT = "5s";

  private static final Duration FAIL_WITHIN = Duration.ofSeconds(5 + 3);

  @TempDir static Path dir;

  private static EmbeddedKafka kafka;
  private static Security security;

  /** Everything the commands printed and logged, for the secrets check. */
  private static final List<String> seen = new ArrayList<>();

  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final Map<String, Level> levelsBefore = new HashMap<>();

  @BeforeAll
  static void start() {
    captureLogs();
    security =
        Security.scram(
            dir.resolve("tls"),
            "ingester",
            "trainer",
            "metrics",
            "reader",
            "eventless",
            "groupless",
            "stranger");
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults().withSecurity(security)).start();
    SecuredAcls.grant(kafka, "ingester", SecuredAcls.ingest());
    SecuredAcls.grant(kafka, "trainer", SecuredAcls.train(DATASET));
    SecuredAcls.grant(kafka, "metrics", SecuredAcls.metrics(MetricsConfig.DEFAULT_APPLICATION_ID));
    // The trainer's ACLs but WRITE on memoscope.events: the run's events would be lost.
    SecuredAcls.grant(
        kafka,
        "eventless",
        Stream.concat(
                SecuredAcls.train(DATASET).stream()
                    .map(
                        acl ->
                            acl.name().equals("memoscope.")
                                ? acl.without(AclOperation.WRITE)
                                : acl),
                Stream.of(Topics.RUNS, Topics.EVALUATIONS)
                    .map(
                        topic ->
                            new SecuredAcls.Acl(
                                ResourceType.TOPIC,
                                topic,
                                PatternType.LITERAL,
                                AclOperation.WRITE)))
            .toList());
    // The metrics service's ACLs but those of its consumer group.
    SecuredAcls.grant(
        kafka,
        "groupless",
        SecuredAcls.metrics(MetricsConfig.DEFAULT_APPLICATION_ID).stream()
            .filter(acl -> acl.type() != ResourceType.GROUP)
            .toList());
    // The ingest's ACLs but WRITE on the sample topics.
    SecuredAcls.grant(
        kafka,
        "reader",
        SecuredAcls.ingest().stream()
            .map(
                acl ->
                    acl.name().equals(Topics.SAMPLES_PREFIX)
                        ? acl.without(AclOperation.WRITE)
                        : acl)
            .toList());
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
  }

  /** Kafka's clients log their config (passwords as [hidden]) at INFO: keep it all. */
  private static void captureLogs() {
    for (String name : List.of("org.apache.kafka", "io.memoscope")) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levelsBefore.put(name, logger.getLevel());
      logger.setLevel(Level.INFO);
    }
    // A failed command's stack trace, logged at DEBUG, must not hold a password either.
    Logger errors = (Logger) LoggerFactory.getLogger(OneLineErrors.class);
    levelsBefore.put(errors.getName(), errors.getLevel());
    errors.setLevel(Level.DEBUG);
    logs.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @Test
  @Order(1)
  void ingestTrainMetricsAndReplayEachAsItsOwnUserFromOneSettingsFile() throws Exception {
    CliRun ingest = ingest(settings("ingester"), DATASET, 96, 32);
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(records(Topics.samples(DATASET, Split.train))).isEqualTo(96);

    Path summary = dir.resolve("summary.json");
    CliRun train =
        run(
            settings("trainer"),
            "train",
            "--dataset",
            DATASET,
            "--run-id",
            RUN,
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--set",
            "model.width-scale=0.5",
            "--checkpoint-dir",
            dir.resolve("runs").toString(),
            "--summary",
            summary.toString());
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(train.out()).startsWith("run " + RUN + ": 1 epochs");
    seen.add(Files.readString(summary));
    seen.add(
        new String(
            Files.readAllBytes(dir.resolve("runs").resolve(RUN).resolve("manifest.avro")),
            StandardCharsets.ISO_8859_1));
    List<TrainingEvent> events = RunEvents.of(kafka.adminProperties(), RUN);
    assertThat(events).isNotEmpty();
    events.forEach(event -> seen.add(event.toString()));
    seen.add(runsRecords());

    Properties metricsSettings = load(settings("metrics"));
    try (MetricsService metrics =
        new MetricsService(
                MetricsConfig.defaults(
                        new KafkaConnection(
                            metricsSettings.getProperty("bootstrap"), kafkaKeys(metricsSettings)),
                        dir.resolve("metrics-state"))
                    .withHttp("127.0.0.1", 0))
            .start()) {
      String runs =
          await("the run finished on /api/runs")
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () -> get(metrics.url() + "/api/runs"),
                  body ->
                      body.contains("\"run\":\"" + RUN + "\"")
                          && body.contains("\"finished\":true"));
      seen.add(runs);
      String history = get(metrics.url() + "/api/runs/" + RUN);
      assertThat(history).contains("accuracy");
      seen.add(history);
      seen.add(get(metrics.url() + "/api/runs/" + RUN + "/series"));
      seen.add(get(metrics.url() + "/api/runs/" + RUN + "/openmetrics"));
      seen.add(get(metrics.url() + "/metrics"));
    }

    CliRun check = run(settings("trainer"), "check");
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains(Topics.EVENTS);
    CliRun runs = run(settings("trainer"), "runs");
    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(runs.out()).contains(RUN);

    CliRun replay =
        run(
            settings("trainer"),
            "replay",
            RUN,
            "--checkpoint-dir",
            dir.resolve("replays").toString());
    assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
    assertThat(replay.out()).contains("match");

    // The other commands that talk to Kafka, each as the user whose ACLs cover it.
    CliRun probe =
        run(
            settings("trainer"),
            "probe",
            RUN,
            "--taps",
            "penultimate",
            "--checkpoint-dir",
            dir.resolve("runs").toString());
    assertThat(probe.exitCode()).as(probe.err()).isZero();
    assertThat(probe.out()).contains("probe of run " + RUN);
    Path csv = dir.resolve("samples.csv");
    CliRun samples = run(settings("metrics"), "samples", RUN, "--csv", csv.toString());
    assertThat(samples.exitCode()).as(samples.err()).isZero();
    seen.add(Files.readString(csv));
    // A one-run sweep: experiment's trainer gets the same settings as train's.
    Path sweep =
        Files.writeString(
            dir.resolve("secured.yaml"),
            "name: secured\nseeds: 1\nbase:\n  epochs: 1\n  batch-size: 32\n"
                + "  model.width-scale: 0.5\nruns:\n  baseline: {}\n");
    CliRun experiment =
        run(
            settings("trainer"),
            "experiment",
            "--sweep",
            sweep.toString(),
            "--dataset",
            DATASET,
            "--report-dir",
            dir.resolve("report").toString(),
            "--checkpoint-dir",
            dir.resolve("experiment-runs").toString());
    assertThat(experiment.exitCode()).as(experiment.out() + experiment.err()).isZero();
    assertThat(experiment.out()).contains("experiment secured: 1 run");
  }

  @Test
  @Order(2)
  void aWrongPasswordFailsFastInOneLine() throws Exception {
    String jaas = kafka.clientProperties("ingester").get("sasl.jaas.config").toString();
    Path file =
        settings(
            "ingester",
            Map.of(
                "kafka.sasl.jaas.config",
                jaas.replace(security.password("ingester"), "not-the-password")));

    assertRefusedIngest(
        file, "wrong-password", "authentication failed", "invalid credentials", "sasl.jaas.config");
  }

  @Test
  @Order(3)
  void anUntrustedCertificateFailsFastInOneLine() throws Exception {
    TlsMaterial other = TlsMaterial.generate(dir.resolve("other-ca"));
    Path file =
        settings(
            "ingester",
            Map.of(
                "kafka.ssl.truststore.location", other.truststore().toString(),
                "kafka.ssl.truststore.password", other.password()));

    assertRefusedIngest(
        file, "untrusted", "TLS handshake failed", "not signed by a CA in the truststore");
  }

  @Test
  @Order(4)
  void anIngestAsAUserWithoutAnyAclFailsFastInOneLine() throws Exception {
    assertRefusedIngest(
        settings("stranger"),
        "stranger",
        "not authorized to use the transactional id memoscope-ingest-stranger",
        "docs/security.md");
  }

  @Test
  @Order(4)
  void anIngestWithoutWriteOnTheSampleTopicsFailsFastAndCommitsNothing() throws Exception {
    assertRefusedIngest(
        settings("reader"),
        "refused",
        "not authorized for topic(s) samples.refused.",
        "docs/security.md",
        "nothing was committed");
  }

  @Test
  @Order(5)
  void aTrainWithoutReadOnTheDataSetsFailsFastInOneLine() throws Exception {
    assertOneLine(
        refusedTrain("stranger"),
        "memoscope train: ",
        "cannot read " + Topics.DATASETS,
        "not authorized",
        "docs/security.md");
  }

  @Test
  @Order(5)
  void aTrainWithoutTheRunTopicsFailsFastInOneLine() throws Exception {
    // The ingest's ACLs: it reads the data set, but may not touch memoscope.runs and the events.
    assertOneLine(
        refusedTrain("ingester"),
        "memoscope train: ",
        "create topic " + Topics.RUNS,
        "not authorized",
        "docs/security.md");
  }

  @Test
  @Order(5)
  void aTrainWhoseEventsAreRefusedFailsInOneLine() throws Exception {
    assertOneLine(
        refusedTrain("eventless"),
        "memoscope train: ",
        "not authorized for topic(s) " + Topics.EVENTS,
        "docs/security.md");
  }

  @Test
  @Order(5)
  void theMetricsServiceOfAUserWithoutAclsFailsInOneLine() throws Exception {
    assertOneLine(
        refusedMetrics("stranger"), "memoscope metrics: ", "not authorized", "docs/security.md");
  }

  @Test
  @Order(5)
  void theMetricsServiceWithoutItsGroupFailsInOneLine() throws Exception {
    assertOneLine(
        refusedMetrics("groupless"),
        "memoscope metrics: ",
        "consumer group " + MetricsConfig.DEFAULT_APPLICATION_ID,
        "docs/security.md");
  }

  /** {@code memoscope metrics}, which must end by itself: it serves until Ctrl-C otherwise. */
  private static CliRun refusedMetrics(String user) throws Exception {
    Path settings = settings(user);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      return executor
          .submit(
              () ->
                  run(
                      settings,
                      "metrics",
                      "--port",
                      "0",
                      "--state-dir",
                      dir.resolve("metrics-" + user).toString(),
                      "--timeout",
                      TIMEOUT))
          .get(60, TimeUnit.SECONDS);
    } finally {
      executor.shutdownNow();
    }
  }

  private static CliRun refusedTrain(String user) throws IOException {
    long start = System.nanoTime();
    CliRun train =
        run(
            settings(user),
            "train",
            "--dataset",
            DATASET,
            "--run-id",
            "refused",
            "--epochs",
            "1",
            "--checkpoint-dir",
            dir.resolve("refused-runs").toString(),
            "--timeout",
            TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_WITHIN);
    return train;
  }

  @Test
  @Order(6)
  void noPasswordShowsAnywhere() {
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      seen.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        seen.add(event.getThrowableProxy().getMessage());
      }
    }
    assertThat(seen).hasSizeGreaterThan(10);
    assertThat(String.join("\n", seen)).contains("sasl.jaas.config = [hidden]");
    List<String> secrets = new ArrayList<>(security.users().values());
    secrets.add(security.tls().password());
    for (String secret : secrets) {
      assertThat(seen).noneMatch(text -> text != null && text.contains(secret));
    }
  }

  /**
   * An ingest of {@code dataset} with {@code settings} fails within {@link #FAIL_WITHIN}, in one
   * line holding each of {@code causes}, and leaves no record in the data set's topics.
   */
  private static void assertRefusedIngest(Path settings, String dataset, String... causes)
      throws Exception {
    long start = System.nanoTime();
    CliRun ingest = ingest(settings, dataset, 32, 8, "--timeout", TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_WITHIN);
    assertOneLine(ingest, "memoscope ingest: ", causes);
    for (Split split : Split.values()) {
      String topic = Topics.samples(dataset, split);
      assertThat(topicExists(topic) ? records(topic) : 0).as(topic).isZero();
    }
  }

  /** A small synthetic data set, 8×8 images. */
  private static CliRun ingest(
      Path settings, String dataset, int count, int testCount, String... more) {
    String[] args = {
      "--source",
      "synthetic",
      "--dataset",
      dataset,
      "--count",
      "" + count,
      "--test-count",
      "" + testCount,
      "--height",
      "8",
      "--width",
      "8"
    };
    return run(
        settings, "ingest", Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new));
  }

  private static void assertOneLine(CliRun run, String prefix, String... causes) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    // Progress lines (a run's header) may come first; the failure is the last line, and the only
    // one.
    List<String> lines = run.err().lines().toList();
    assertThat(lines).as(run.err()).filteredOn(line -> line.startsWith(prefix)).hasSize(1);
    assertThat(lines)
        .as(run.err())
        .noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"));
    String failure = lines.get(lines.size() - 1);
    assertThat(failure).startsWith(prefix);
    for (String cause : causes) {
      assertThat(failure).containsIgnoringCase(cause);
    }
  }

  /** {@code memoscope --settings FILE COMMAND ARGS…}, its output kept for the secrets check. */
  private static CliRun run(Path settings, String command, String... args) {
    String[] all =
        Stream.concat(Stream.of("--settings", settings.toString(), command), Stream.of(args))
            .toArray(String[]::new);
    CliRun run = CliRun.of(Map.of(), all);
    seen.add(run.out());
    seen.add(run.err());
    return run;
  }

  /**
   * The settings file of the README's "Secured clusters": {@code bootstrap} and the client
   * properties as {@code kafka.*} keys.
   */
  private static Path settings(String user) throws IOException {
    return settings(user, Map.of());
  }

  /** {@link #settings(String)} with some keys changed. */
  private static Path settings(String user, Map<String, String> changed) throws IOException {
    Properties props = new Properties();
    kafka
        .clientProperties(user)
        .forEach(
            (key, value) -> {
              if (key.equals("bootstrap.servers")) {
                props.setProperty("bootstrap", value.toString());
              } else {
                props.setProperty("kafka." + key, value.toString());
              }
            });
    props.putAll(changed);
    Path file = dir.resolve(user + "-" + System.nanoTime() + ".properties");
    store(props, file);
    return file;
  }

  private static Map<String, String> kafkaKeys(Properties settings) {
    Map<String, String> kafkaProps = new TreeMap<>();
    settings.stringPropertyNames().stream()
        .filter(key -> key.startsWith("kafka."))
        .forEach(key -> kafkaProps.put(key.substring(6), settings.getProperty(key)));
    return kafkaProps;
  }

  private static Properties load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    return props;
  }

  private static void store(Properties props, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(out, null);
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  private static boolean topicExists(String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      return admin.listTopics().names().get().contains(topic);
    }
  }

  private static long records(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long count = 0;
      long idle = 0;
      while (idle < 3) {
        int polled = consumer.poll(Duration.ofSeconds(1)).count();
        count += polled;
        idle = polled == 0 ? idle + 1 : 0;
      }
      return count;
    }
  }

  /** The {@code memoscope.runs} records as text (the manifest as Kafka holds it). */
  private static String runsRecords() {
    StringBuilder text = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.RUNS).stream()
              .map(info -> new TopicPartition(Topics.RUNS, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      for (int i = 0; i < 3; i++) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          text.append(new String(record.value(), StandardCharsets.ISO_8859_1)).append('\n');
        }
      }
    }
    assertThat(text).contains(RUN);
    return text.toString();
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(kafka.adminProperties());
    config.put("isolation.level", "read_committed");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
