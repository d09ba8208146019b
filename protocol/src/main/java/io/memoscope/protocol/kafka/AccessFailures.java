package io.memoscope.protocol.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * A refused connection or request of a secured cluster (a wrong password, a certificate the client
 * does not trust, a missing ACL) in one line that names the cause and what to check, instead of
 * Kafka's bare "Authorization failed." or a hint that the broker might be down. Never includes a
 * client property's value: Kafka's messages name the user at most.
 */
public final class AccessFailures {

  /** Where the ACLs each service needs are listed. */
  public static final String ACL_DOCS = "docs/security.md";

  private AccessFailures() {}

  /** The authentication or authorization failure in {@code e}'s causes, if there is one. */
  public static Optional<Throwable> find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** {@link #describe(Throwable)} of the failure in {@code e}'s causes, if there is one. */
  public static Optional<String> describeCause(Throwable e) {
    return find(e).map(AccessFailures::describe);
  }

  /** One line for an authentication or authorization failure. */
  public static String describe(Throwable failure) {
    if (failure instanceof Refused) {
      return failure.getMessage();
    }
    if (failure instanceof SslAuthenticationException) {
      return untrusted(failure)
          ? "TLS handshake failed: the broker's certificate is not signed by a CA in the truststore"
              + " (check ssl.truststore.location)"
          : "TLS handshake failed: " + deepestMessage(failure);
    }
    if (failure instanceof SaslAuthenticationException) {
      return "authentication failed: "
          + message(failure)
          + " (check the user name and password in sasl.jaas.config)";
    }
    if (failure instanceof AuthenticationException) {
      return "authentication failed: " + message(failure);
    }
    String denied = "not authorized";
    if (failure instanceof TopicAuthorizationException topics
        && !topics.unauthorizedTopics().isEmpty()) {
      denied = "not authorized for topic(s) " + String.join(", ", topics.unauthorizedTopics());
    } else if (failure instanceof GroupAuthorizationException group && group.groupId() != null) {
      denied = "not authorized for consumer group " + group.groupId();
    }
    return denied + " (" + message(failure) + "); the user needs the ACLs in " + ACL_DOCS;
  }

  /**
   * An authorization failure whose message says already what was refused and what to do: e.g.
   * {@code Failed to create topic x: not authorized (…); the user needs the ACLs in …}.
   */
  public static final class Refused extends AuthorizationException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what the call that was refused, e.g. {@code "Failed to create topic x"}
     * @param cause Kafka's exception
     */
    public Refused(String what, AuthorizationException cause) {
      super(what + ": " + describe(cause), cause);
    }
  }

  private static boolean untrusted(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.security.cert.CertPathValidatorException
          || t instanceof java.security.cert.CertificateException
          || String.valueOf(t.getMessage()).contains("PKIX")) {
        return true;
      }
    }
    return false;
  }

  private static String deepestMessage(Throwable failure) {
    String deepest = message(failure);
    for (Throwable t = failure.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        deepest = t.getMessage();
      }
    }
    return deepest;
  }

  private static String message(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message).replaceAll("\\.$", "");
  }
}
