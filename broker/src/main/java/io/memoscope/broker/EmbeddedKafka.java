package io.memoscope.broker;

import java.net.BindException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
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
    } catch (RuntimeException e) {
      stopQuietly();
      state = State.CLOSED;
      throw e;
    }
    state = State.RUNNING;
    log.info(
        "Kafka broker ready at {} (cluster {}, {} data in {}, started in {} ms)",
        bootstrapServers(),
        clusterId,
        config.persistent() ? "persistent" : "temporary",
        storage.path(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return this;
  }

  /** {@code host:port} for clients' {@code bootstrap.servers}. */
  public synchronized String bootstrapServers() {
    requireRunning();
    return BrokerProperties.address(config.host(), port);
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

  private void startServer() {
    boolean portsPicked = config.port() == 0;
    if (!portsPicked) {
      Ports.requireFree(config.host(), config.port());
    }
    for (int attempt = 1; ; attempt++) {
      port = portsPicked ? Ports.pickFree(config.host()) : config.port();
      int controllerPort = pickControllerPort();
      Map<String, String> props =
          BrokerProperties.of(
              config.host(),
              port,
              controllerPort,
              storage.path(),
              config.startTimeout(),
              config.extraBrokerProperties());
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

  private int pickControllerPort() {
    int picked = Ports.pickFree(config.host());
    while (picked == port) {
      picked = Ports.pickFree(config.host());
    }
    return picked;
  }

  private void awaitDescribeCluster(long deadlineNanos) {
    int remainingMs =
        (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                BrokerProperties.address(config.host(), port),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remainingMs,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(remainingMs, 5_000));
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
