package io.memoscope.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of a few KRaft nodes inside this JVM, each broker and controller in one, on
 * loopback ports: for tests of what a cluster does when a broker goes away, and for {@code
 * memoscope broker --brokers 3}.
 *
 * <p>Topics get as many replicas as there are nodes (up to 3) by default, and with 3 or more nodes
 * a write needs 2 in-sync replicas, so losing any one node loses nothing acknowledged and the
 * controller quorum (a majority of the nodes) survives it. {@link #stopNode(int)} takes one node
 * away, in an orderly way or as a crash.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(EmbeddedKafkaConfig.defaults(), 3).start()) {
 *   String bootstrap = cluster.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  /** A quorum of more nodes only makes tests slower on a small machine. */
  public static final int MAX_NODES = 5;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  /** One node: its id, ports, storage and, while it runs, its server. */
  private static final class ClusterNode {
    final int id;
    final int clientPort;
    final int controllerPort;
    final Path dataDir;
    KafkaRaftServer server;

    ClusterNode(int id, int clientPort, int controllerPort, Path dataDir) {
      this.id = id;
      this.clientPort = clientPort;
      this.controllerPort = controllerPort;
      this.dataDir = dataDir;
    }
  }

  private final EmbeddedKafkaConfig config;
  private final int size;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private State state = State.NEW;
  private StorageDirectory storage;
  private String clusterId;

  /**
   * @param config host, first client port (0: free ports), storage (a persistent {@code dataDir}
   *     holds one folder per node, {@code node-1} …), extra properties and start timeout, as for a
   *     single broker
   * @param size nodes, 1 to {@value #MAX_NODES}
   */
  public EmbeddedKafkaCluster(EmbeddedKafkaConfig config, int size) {
    if (size < 1 || size > MAX_NODES) {
      throw new IllegalArgumentException("a cluster has 1 to " + MAX_NODES + " nodes, not " + size);
    }
    if (config.security() != null) {
      throw new IllegalArgumentException(
          "a secured broker is single-node; use EmbeddedKafka for EmbeddedKafkaConfig.withSecurity");
    }
    this.config = config;
    this.size = size;
  }

  /**
   * Formats or reuses every node's storage, starts all nodes at once (a node's broker waits for a
   * controller quorum, which needs a majority of the others) and returns when the cluster describes
   * all of them. On failure everything started is stopped again.
   */
  public synchronized EmbeddedKafkaCluster start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "This embedded cluster was already " + (state == State.RUNNING ? "started" : "closed"));
    }
    long startNanos = System.nanoTime();
    long deadlineNanos = startNanos + config.startTimeout().toNanos();
    storage = StorageDirectory.prepare(config.dataDir(), config.persistent());
    try {
      placeNodes();
      clusterId = formatNodes();
      startNodes(deadlineNanos);
      awaitAllNodes(deadlineNanos);
    } catch (RuntimeException e) {
      stopAll();
      releaseStorage();
      state = State.CLOSED;
      throw e;
    }
    state = State.RUNNING;
    log.info(
        "Kafka cluster of {} nodes ready at {} (cluster {}, {} data in {}, started in {} ms)",
        size,
        bootstrapServers(),
        clusterId,
        config.persistent() ? "persistent" : "temporary",
        storage.path(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return this;
  }

  /**
   * Every running node's {@code host:port}, comma-separated, for clients' {@code
   * bootstrap.servers}.
   */
  public synchronized String bootstrapServers() {
    requireRunning();
    return addresses();
  }

  private String addresses() {
    return nodes.stream()
        .filter(node -> node.server != null)
        .map(node -> BrokerProperties.address(config.host(), node.clientPort))
        .collect(Collectors.joining(","));
  }

  /** The node ids, 1 to the cluster's size. */
  public synchronized List<Integer> nodeIds() {
    return nodes.stream().map(node -> node.id).toList();
  }

  /** The ids of the nodes still running. */
  public synchronized Set<Integer> runningNodeIds() {
    return nodes.stream()
        .filter(node -> node.server != null)
        .map(node -> node.id)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  public synchronized String clusterId() {
    requireRunning();
    return clusterId;
  }

  /**
   * Stops one node (broker and controller). By default as an orderly shutdown: the others take over
   * leadership of its partitions at once. Started with the broker property {@code
   * controlled.shutdown.enable=false}, as a crash: the node hands nothing over and the controller
   * fences it only when its session times out ({@code broker.session.timeout.ms}). Its storage
   * stays until the cluster is closed.
   */
  public synchronized void stopNode(int id) {
    requireRunning();
    ClusterNode node =
        nodes.stream()
            .filter(n -> n.id == id)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + nodeIds()));
    if (node.server == null) {
      throw new IllegalStateException("node " + id + " is already stopped");
    }
    long startNanos = System.nanoTime();
    stop(node);
    log.info(
        "Kafka node {} at {} stopped in {} ms",
        id,
        BrokerProperties.address(config.host(), node.clientPort),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  /**
   * Stops every node (all at once: the last ones would otherwise wait for a lost quorum). Safe to
   * call twice.
   */
  @Override
  public synchronized void close() {
    boolean open = state != State.CLOSED;
    state = State.CLOSED;
    if (open) {
      try {
        stopAll();
      } finally {
        releaseStorage();
      }
    }
  }

  private void placeNodes() {
    Set<Integer> taken = new HashSet<>();
    for (int id = 1; id <= size; id++) {
      int clientPort;
      if (config.port() == 0) {
        clientPort = pickFree(taken);
      } else {
        clientPort = config.port() + id - 1;
        Ports.requireFree(config.host(), clientPort);
        taken.add(clientPort);
      }
      int controllerPort = pickFree(taken);
      Path dir = storage.path().resolve("node-" + id);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new EmbeddedKafkaException("Cannot create " + dir + ": " + e.getMessage(), e);
      }
      nodes.add(new ClusterNode(id, clientPort, controllerPort, dir));
    }
  }

  private int pickFree(Set<Integer> taken) {
    int port = Ports.pickFree(config.host());
    while (!taken.add(port)) {
      port = Ports.pickFree(config.host());
    }
    return port;
  }

  /**
   * Formats empty node folders with one new cluster id; reused ones must all belong to one cluster.
   */
  private String formatNodes() {
    String newId = Uuid.randomUuid().toString();
    Set<String> ids = new LinkedHashSet<>();
    // Reused folders first, so that a node added to an existing cluster's folder joins that
    // cluster.
    for (ClusterNode node : nodes) {
      if (isFormatted(node.dataDir)) {
        ids.add(
            KraftStorage.formatOrReuse(
                node.dataDir, node.id, BrokerProperties.CONTROLLER_LISTENER_NAME, newId));
      }
    }
    if (ids.size() > 1) {
      throw new EmbeddedKafkaException(
          "The node folders in " + storage.path() + " belong to different clusters: " + ids);
    }
    String id = ids.isEmpty() ? newId : ids.iterator().next();
    for (ClusterNode node : nodes) {
      KraftStorage.formatOrReuse(
          node.dataDir, node.id, BrokerProperties.CONTROLLER_LISTENER_NAME, id);
    }
    return id;
  }

  private static boolean isFormatted(Path dir) {
    return Files.exists(dir.resolve("meta.properties"));
  }

  private void startNodes(long deadlineNanos) {
    String voters =
        nodes.stream()
            .map(
                node ->
                    node.id + "@" + BrokerProperties.address(config.host(), node.controllerPort))
            .collect(Collectors.joining(","));
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (ClusterNode node : nodes) {
      Map<String, String> props =
          BrokerProperties.of(
              node.id,
              config.host(),
              node.clientPort,
              node.controllerPort,
              voters,
              size,
              node.dataDir,
              config.startTimeout(),
              config.extraBrokerProperties());
      node.server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      starts.add(
          CompletableFuture.runAsync(
              node.server::startup,
              command -> {
                Thread thread = new Thread(command, "kafka-node-" + node.id + "-start");
                thread.setDaemon(true);
                thread.start();
              }));
    }
    try {
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
          .get(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new EmbeddedKafkaException(
          "A Kafka node failed to start (data in "
              + storage.path()
              + "): "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new EmbeddedKafkaException(
          "The Kafka nodes did not start within " + config.startTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while starting the Kafka cluster", e);
    }
  }

  private void awaitAllNodes(long deadlineNanos) {
    int remainingMs = remainingMillis(deadlineNanos);
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, addresses(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remainingMs,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(remainingMs, 5_000));
    try (Admin admin = Admin.create(adminConfig)) {
      while (true) {
        Collection<Node> seen =
            admin
                .describeCluster(
                    new DescribeClusterOptions().timeoutMs(remainingMillis(deadlineNanos)))
                .nodes()
                .get(remainingMillis(deadlineNanos) + 1_000L, TimeUnit.MILLISECONDS);
        if (seen.size() == size) {
          return;
        }
        if (remainingMillis(deadlineNanos) <= 100) {
          throw new EmbeddedKafkaException(
              "The Kafka cluster showed "
                  + seen
                  + " instead of "
                  + size
                  + " nodes within "
                  + config.startTimeout());
        }
        // Brokers register with the controller one by one after they start.
        Thread.sleep(100);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new EmbeddedKafkaException(
          "The Kafka cluster at "
              + addresses()
              + " did not answer describeCluster"
              + " within "
              + config.startTimeout()
              + ": "
              + cause,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException(
          "Interrupted while waiting for the Kafka cluster to start", e);
    }
  }

  private static int remainingMillis(long deadlineNanos) {
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private void stopAll() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ClusterNode node : nodes) {
      if (node.server != null) {
        stops.add(CompletableFuture.runAsync(() -> stop(node)));
      }
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
  }

  private static void stop(ClusterNode node) {
    KafkaRaftServer server = node.server;
    node.server = null;
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("Kafka node {} did not shut down cleanly", node.id, e);
    }
  }

  private void releaseStorage() {
    if (storage != null) {
      storage.releaseQuietly();
    }
  }

  private void requireRunning() {
    if (state != State.RUNNING) {
      throw new IllegalStateException("This embedded cluster is not running");
    }
  }
}
