package io.memoscope.broker;

import java.io.IOException;
import java.io.Writer;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller in one) inside this JVM.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * One instance starts once; to restart on the same persistent directory, close it and start a new
 * one with the same config.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Another process may grab a port between our pick and Kafka's bind; then pick again. */
  private static final int ATTEMPTS_ON_PICKED_PORTS = 3;

  private static final Duration GRANT_TIMEOUT = Duration.ofSeconds(30);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final EmbeddedKafkaConfig config;
  private State state = State.NEW;
  private StorageDirectory storage;
  private KafkaRaftServer server;
  private String clusterId;
  private int port;
  private int internalPort;

  public EmbeddedKafka(EmbeddedKafkaConfig config) {
    this.config = config;
  }

  /**
   * Formats or reuses the storage, starts the broker and returns once it answers an Admin {@code
   * describeCluster}. On failure everything started is stopped again.
   *
   * @return this, for {@code try (var kafka = new EmbeddedKafka(config).start())}
   * @throws EmbeddedKafkaException if the port is taken, the storage unusable, or the broker did
   *     not answer within the configured start timeout
   */
  public synchronized EmbeddedKafka start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "This embedded Kafka was already " + (state == State.RUNNING ? "started" : "closed"));
    }
    long startNanos = System.nanoTime();
    long deadlineNanos = startNanos + config.startTimeout().toNanos();
    storage = StorageDirectory.prepare(config.dataDir(), config.persistent());
    try {
      clusterId =
          KraftStorage.formatOrReuse(
              storage.path(), BrokerProperties.NODE_ID, BrokerProperties.CONTROLLER_LISTENER_NAME);
      startServer();
      awaitDescribeCluster(deadlineNanos);
      if (config.security() != null) {
        SecurityAdmin.upsertScramUsers(internalClient(), config.security().users(), deadlineNanos);
      }
    } catch (RuntimeException e) {
      stopQuietly();
      state = State.CLOSED;
      throw e;
    }
    state = State.RUNNING;
    log.info(
        "Kafka broker ready at {} ({}cluster {}, {} data in {}, started in {} ms)",
        bootstrapServers(),
        config.security() == null
            ? ""
            : "SASL_SSL, users " + config.security().users().keySet() + ", ",
        clusterId,
        config.persistent() ? "persistent" : "temporary",
        storage.path(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return this;
  }

  public EmbeddedKafkaConfig config() {
    return config;
  }

  /** {@code host:port} for clients' {@code bootstrap.servers}. */
  public synchronized String bootstrapServers() {
    requireRunning();
    return BrokerProperties.address(config.host(), port);
  }

  /**
   * Everything a client of {@code user} needs to connect to a secured broker: {@code
   * bootstrap.servers}, {@code security.protocol=SASL_SSL}, {@code sasl.mechanism}, {@code
   * sasl.jaas.config} and the truststore.
   *
   * @throws IllegalStateException if the broker is not secured (see {@link
   *     EmbeddedKafkaConfig#withSecurity(Security)})
   */
  public synchronized Map<String, Object> clientProperties(String user) {
    Map<String, Object> props = new HashMap<>(requireSecurity().clientProperties(user));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /**
   * Writes {@link #clientProperties(String)} to {@code file} as Java properties (readable by
   * Kafka's command-line tools' {@code --command-config}, say), readable by its owner only where
   * the file system allows.
   *
   * @return {@code file}
   */
  public Path writeClientProperties(String user, Path file) {
    Properties props = new Properties();
    clientProperties(user).forEach((key, value) -> props.setProperty(key, value.toString()));
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, ownerOnly(file));
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        props.store(out, "memoscope embedded broker: client of " + user + " (tests and trials)");
      }
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Cannot write the client properties " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static FileAttribute<?>[] ownerOnly(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    boolean posix =
        parent != null
            && Files.getFileStore(parent).supportsFileAttributeView(PosixFileAttributeView.class);
    return posix
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  /** {@link #clientProperties(String)} of {@value Security#ADMIN}, a super user. */
  public Map<String, Object> adminProperties() {
    return clientProperties(Security.ADMIN);
  }

  /**
   * Allows {@code user} the {@code operations} on a resource, as {@value Security#ADMIN}, and
   * returns once the broker enforces the new ACLs.
   *
   * @param name the resource's name, or its prefix with {@link PatternType#PREFIXED}
   */
  public void grant(
      String user,
      ResourceType type,
      String name,
      PatternType patternType,
      AclOperation... operations) {
    requireSecurity().password(user);
    ResourcePattern resource = new ResourcePattern(type, name, patternType);
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(
          new AclBinding(
              resource,
              new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }
    SecurityAdmin.createAcls(adminProperties(), bindings, GRANT_TIMEOUT);
  }

  /** The client port, the one picked when the config asked for port 0. */
  public synchronized int port() {
    requireRunning();
    return port;
  }

  /** Stays the same across restarts on a persistent directory. */
  public synchronized String clusterId() {
    requireRunning();
    return clusterId;
  }

  public synchronized Path dataDir() {
    requireRunning();
    return storage.path();
  }

  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Shuts the broker down, waits for it, and deletes temporary storage. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.CLOSED;
    if (server == null) {
      return;
    }
    long startNanos = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
      storage.releaseIfTemporary();
    }
    if (wasRunning) {
      log.info(
          "Kafka broker at {} stopped in {} ms",
          BrokerProperties.address(config.host(), port),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
  }

  private Security requireSecurity() {
    requireRunning();
    if (config.security() == null) {
      throw new IllegalStateException(
          "This embedded Kafka is not secured; see EmbeddedKafkaConfig.withSecurity");
    }
    return config.security();
  }

  private Map<String, Object> internalClient() {
    return BrokerProperties.internalClient(internalPort, config.security());
  }

  private void startServer() {
    boolean portsPicked = config.port() == 0;
    if (!portsPicked) {
      Ports.requireFree(config.host(), config.port());
    }
    for (int attempt = 1; ; attempt++) {
      port = portsPicked ? Ports.pickFree(config.host()) : config.port();
      Security security = config.security();
      String internalHost = security == null ? config.host() : BrokerProperties.LOOPBACK;
      int controllerPort = pickOtherPort(internalHost);
      Map<String, String> props;
      if (security == null) {
        props =
            BrokerProperties.of(
                config.host(),
                port,
                controllerPort,
                storage.path(),
                config.startTimeout(),
                config.extraBrokerProperties());
      } else {
        internalPort = pickOtherPort(internalHost, controllerPort);
        props =
            BrokerProperties.secured(
                config.host(),
                port,
                internalPort,
                controllerPort,
                storage.path(),
                config.startTimeout(),
                security,
                config.extraBrokerProperties());
      }
      try {
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        return;
      } catch (RuntimeException e) {
        shutdownServer();
        if (!isBindFailure(e)) {
          throw new EmbeddedKafkaException(
              "Kafka broker failed to start on "
                  + BrokerProperties.address(config.host(), port)
                  + " (data in "
                  + storage.path()
                  + "): "
                  + e.getMessage(),
              e);
        }
        if (!portsPicked || attempt == ATTEMPTS_ON_PICKED_PORTS) {
          throw new EmbeddedKafkaException(
              "Kafka could not bind port "
                  + port
                  + " or controller port "
                  + controllerPort
                  + " on "
                  + config.host()
                  + ", already in use: "
                  + e.getMessage(),
              e);
        }
        log.debug(
            "Port {} or {} was taken before Kafka bound it; picking again",
            port,
            controllerPort,
            e);
      }
    }
  }

  /** A free port on {@code host} other than the client port and {@code taken}. */
  private int pickOtherPort(String host, int... taken) {
    while (true) {
      int picked = Ports.pickFree(host);
      if (picked != port && Arrays.stream(taken).noneMatch(t -> t == picked)) {
        return picked;
      }
    }
  }

  private void awaitDescribeCluster(long deadlineNanos) {
    int remainingMs =
        (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    Map<String, Object> adminConfig = new HashMap<>();
    if (config.security() == null) {
      adminConfig.put(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          BrokerProperties.address(config.host(), port));
    } else {
      adminConfig.putAll(internalClient());
    }
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remainingMs);
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(remainingMs, 5_000));
    try (Admin admin = Admin.create(adminConfig)) {
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs))
              .nodes()
              .get(remainingMs + 1_000L, TimeUnit.MILLISECONDS);
      if (nodes.stream().noneMatch(node -> node.id() == BrokerProperties.NODE_ID)) {
        throw new EmbeddedKafkaException(
            "Kafka broker at "
                + BrokerProperties.address(config.host(), port)
                + " answered describeCluster without itself: "
                + nodes);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new EmbeddedKafkaException(
          "Kafka broker at "
              + BrokerProperties.address(config.host(), port)
              + " did not answer describeCluster within "
              + config.startTimeout()
              + ": "
              + cause,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException(
          "Interrupted while waiting for the Kafka broker to start", e);
    }
  }

  private void shutdownServer() {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("Kafka broker did not shut down cleanly after a failed start", e);
    } finally {
      server = null;
    }
  }

  private void stopQuietly() {
    shutdownServer();
    storage.releaseQuietly();
  }

  private void requireRunning() {
    if (state != State.RUNNING) {
      throw new IllegalStateException("This embedded Kafka is not running");
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
