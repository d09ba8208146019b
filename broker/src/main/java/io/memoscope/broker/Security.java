package io.memoscope.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A secured embedded broker, for tests and trials (not production): clients connect over {@code
 * SASL_SSL} with {@code SCRAM-SHA-512}, and the KRaft {@code StandardAuthorizer} lets a user do
 * only what ACLs allow. {@value #ADMIN} is a super user; every other user starts with no rights.
 *
 * @param tls the broker's keystore and the clients' truststore
 * @param users SCRAM user name to password; always holds {@value #ADMIN}
 * @param brokerPassword the password of the broker's own user on its internal listeners
 */
public record Security(TlsMaterial tls, Map<String, String> users, String brokerPassword) {

  public static final String ADMIN = "admin";
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The broker's own principal on its loopback-only controller and inter-broker listeners. */
  static final String BROKER_USER = "broker";

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  public Security {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(brokerPassword, "brokerPassword");
    if (!users.containsKey(ADMIN)) {
      throw new IllegalArgumentException("the users must include " + ADMIN);
    }
    users.forEach(Security::requireUsable);
    requireUsable(BROKER_USER, brokerPassword);
    if (users.containsKey(BROKER_USER)) {
      throw new IllegalArgumentException(
          BROKER_USER + " is the broker's own user; choose another name");
    }
    users = Map.copyOf(new TreeMap<>(users));
  }

  /**
   * Generates TLS material into {@code dir} (see {@link TlsMaterial#generate(Path)}) and random
   * passwords for {@value #ADMIN} and each of {@code userNames}.
   */
  public static Security scram(Path dir, String... userNames) {
    Map<String, String> users = new LinkedHashMap<>();
    users.put(ADMIN, TlsMaterial.randomSecret());
    for (String user : userNames) {
      users.put(user, TlsMaterial.randomSecret());
    }
    return scram(TlsMaterial.generate(dir), users);
  }

  /** Given TLS material and passwords; {@value #ADMIN} gets a random one unless given. */
  public static Security scram(TlsMaterial tls, Map<String, String> users) {
    Map<String, String> all = new HashMap<>(users);
    all.putIfAbsent(ADMIN, TlsMaterial.randomSecret());
    return new Security(tls, all, TlsMaterial.randomSecret());
  }

  /**
   * @throws IllegalArgumentException for a user not in {@link #users()}
   */
  public String password(String user) {
    String password = users.get(user);
    if (password == null) {
      throw new IllegalArgumentException("No user " + user + "; the users are " + users.keySet());
    }
    return password;
  }

  /**
   * What a client of {@code user} needs besides {@code bootstrap.servers}: {@code
   * security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config} and the truststore.
   */
  public Map<String, Object> clientProperties(String user) {
    return clientProperties(user, password(user));
  }

  /** As {@link #clientProperties(String)} with any password, a wrong one say. */
  public Map<String, Object> clientProperties(String user, String password) {
    Map<String, Object> props = new HashMap<>(tls.clientTrustProperties());
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", MECHANISM);
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + jaasCredentials(user, password)
            + ";");
    return props;
  }

  /** Without the passwords. */
  @Override
  public String toString() {
    return "Security[SASL_SSL " + MECHANISM + ", users " + users.keySet() + ", " + tls + "]";
  }

  /** {@code username="…" password="…"}, after a space. */
  static String jaasCredentials(String user, String password) {
    return " username=\"" + user + "\" password=\"" + password + "\"";
  }

  private static void requireUsable(String user, String password) {
    if (!USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "user name " + user + " must be letters, digits, '.', '_' or '-'");
    }
    if (password.isEmpty() || password.contains("\"") || password.contains("\\")) {
      throw new IllegalArgumentException(
          "the password of " + user + " must be non-empty, without '\"' or '\\'");
    }
  }
}
