package io.memoscope.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server properties of a KRaft node that is broker and controller in one: alone, or one of a
 * few.
 */
final class BrokerProperties {

  static final int NODE_ID = 1;
  static final String CLIENT_LISTENER_NAME = "PLAINTEXT";
  static final String CONTROLLER_LISTENER_NAME = "CONTROLLER";

  /** A secured broker's SASL_SSL listener for clients. */
  static final String SECURED_CLIENT_LISTENER_NAME = "CLIENT";

  /** A secured broker's inter-broker listener, on loopback like its controller listener. */
  static final String INTERNAL_LISTENER_NAME = "INTERNAL";

  /** Where a secured broker binds its internal listeners. */
  static final String LOOPBACK = "127.0.0.1";

  static final String STANDARD_AUTHORIZER =
      "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

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
   * A single node whose clients connect to {@code host:clientPort} over SASL_SSL with SCRAM (and
   * nothing else), with the StandardAuthorizer and no access without an ACL. Controller and
   * inter-broker traffic use SASL_PLAINTEXT with PLAIN and the broker's own user, on loopback only.
   */
  static Map<String, String> secured(
      String host,
      int clientPort,
      int internalPort,
      int controllerPort,
      Path dataDir,
      Duration startTimeout,
      Security security,
      Map<String, String> extra) {
    Map<String, String> props =
        of(
            NODE_ID,
            host,
            clientPort,
            controllerPort,
            NODE_ID + "@" + address(LOOPBACK, controllerPort),
            1,
            dataDir,
            startTimeout,
            Map.of());
    String client = SECURED_CLIENT_LISTENER_NAME;
    String internal = INTERNAL_LISTENER_NAME;
    String controller = CONTROLLER_LISTENER_NAME;
    String clientAddress = client + "://" + address(host, clientPort);
    String internalAddress = internal + "://" + address(LOOPBACK, internalPort);
    props.put(
        "listeners",
        clientAddress
            + ","
            + internalAddress
            + ","
            + controller
            + "://"
            + address(LOOPBACK, controllerPort));
    props.put("advertised.listeners", clientAddress + "," + internalAddress);
    props.put(
        "listener.security.protocol.map",
        client + ":SASL_SSL," + internal + ":SASL_PLAINTEXT," + controller + ":SASL_PLAINTEXT");
    props.put("inter.broker.listener.name", internal);

    props.put("sasl.enabled.mechanisms", Security.MECHANISM);
    String clientPrefix = "listener.name." + client.toLowerCase(Locale.ROOT) + ".";
    props.put(clientPrefix + "sasl.enabled.mechanisms", Security.MECHANISM);
    props.put(
        clientPrefix + Security.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.putAll(security.tls().brokerKeystoreProperties(clientPrefix));

    // The broker's own user, known to both internal listeners from this line alone.
    String plainJaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + Security.jaasCredentials(Security.BROKER_USER, security.brokerPassword())
            + " user_"
            + Security.BROKER_USER
            + "=\""
            + security.brokerPassword()
            + "\";";
    for (String listener : new String[] {internal, controller}) {
      String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
      props.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
      props.put(prefix + "plain.sasl.jaas.config", plainJaas);
    }
    props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    props.put("sasl.mechanism.controller.protocol", "PLAIN");

    props.put("authorizer.class.name", STANDARD_AUTHORIZER);
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("super.users", "User:" + Security.BROKER_USER + ";User:" + Security.ADMIN);

    props.putAll(extra);
    return props;
  }

  /** The admin client settings of the broker's own user on its internal listener. */
  static Map<String, Object> internalClient(int internalPort, Security security) {
    return Map.of(
        "bootstrap.servers",
        address(LOOPBACK, internalPort),
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + Security.jaasCredentials(Security.BROKER_USER, security.brokerPassword())
            + ";");
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
