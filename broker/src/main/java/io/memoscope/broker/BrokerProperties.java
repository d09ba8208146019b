package io.memoscope.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The server properties of a KRaft node that is broker and controller in one: alone, or one of a
 * few.
 */
final class BrokerProperties {

  static final int NODE_ID = 1;
  static final String CLIENT_LISTENER_NAME = "PLAINTEXT";
  static final String CONTROLLER_LISTENER_NAME = "CONTROLLER";

  private BrokerProperties() {}

  /** {@code host:port}, with an IPv6 literal in brackets as Kafka's address parsing wants it. */
  static String address(String host, int port) {
    boolean bareIpv6 = host.contains(":") && !host.startsWith("[");
    return (bareIpv6 ? "[" + host + "]" : host) + ":" + port;
  }

  static Map<String, String> of(
      String host,
      int clientPort,
      int controllerPort,
      Path dataDir,
      Duration startTimeout,
      Map<String, String> extra) {
    return of(
        NODE_ID,
        host,
        clientPort,
        controllerPort,
        NODE_ID + "@" + address(host, controllerPort),
        1,
        dataDir,
        startTimeout,
        extra);
  }

  /**
   * One node of a cluster of {@code clusterSize} combined nodes (broker and controller each).
   *
   * @param voters the static controller quorum, {@code id@host:port,…}
   */
  static Map<String, String> of(
      int nodeId,
      String host,
      int clientPort,
      int controllerPort,
      String voters,
      int clusterSize,
      Path dataDir,
      Duration startTimeout,
      Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(nodeId));
    // A static voter set (kraft.version 0): the controller's address is read from here on every
    // start and nothing of it is stored at format time, so a restart may pick a new controller
    // port. (A dynamic quorum stores the voter's endpoint and directory id in the bootstrap
    // snapshot; it survived such a restart too, by announcing its new endpoint, but asks more.)
    props.put("controller.quorum.voters", voters);
    props.put("controller.listener.names", CONTROLLER_LISTENER_NAME);
    props.put(
        "listeners",
        CLIENT_LISTENER_NAME
            + "://"
            + address(host, clientPort)
            + ","
            + CONTROLLER_LISTENER_NAME
            + "://"
            + address(host, controllerPort));
    props.put("advertised.listeners", CLIENT_LISTENER_NAME + "://" + address(host, clientPort));
    props.put(
        "listener.security.protocol.map",
        CLIENT_LISTENER_NAME + ":PLAINTEXT," + CONTROLLER_LISTENER_NAME + ":PLAINTEXT");
    props.put("inter.broker.listener.name", CLIENT_LISTENER_NAME);
    props.put("log.dirs", dataDir.toString());
    props.put("metadata.log.dir", dataDir.toString());

    // Internal topics (groups, transactions, share groups) get as many replicas as there are
    // nodes, up to 3, or they never start (INVALID_REPLICATION_FACTOR); with 3 replicas a write
    // needs 2 in sync, so losing one node loses nothing acknowledged. One partition each keeps
    // their creation quick.
    String replicas = String.valueOf(Math.min(3, clusterSize));
    String inSync = clusterSize >= 3 ? "2" : "1";
    props.put("offsets.topic.replication.factor", replicas);
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", replicas);
    props.put("transaction.state.log.min.isr", inSync);
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", replicas);
    props.put("share.coordinator.state.topic.min.isr", inSync);
    props.put("share.coordinator.state.topic.num.partitions", "1");
    props.put("default.replication.factor", replicas);
    props.put("min.insync.replicas", inSync);
    props.put("num.partitions", "1");
    // Topics are created on purpose, with the wait for leaders that producing right after needs.
    props.put("auto.create.topics.enable", "false");
    // Nobody else is going to join: don't hold the first rebalance back.
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("group.streams.initial.rebalance.delay.ms", "0");
    // Startup otherwise waits for the controller quorum without bound.
    props.put("server.max.startup.time.ms", String.valueOf(startTimeout.toMillis()));

    props.putAll(extra);
    return props;
  }
}
