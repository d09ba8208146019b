package io.memoscope.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** The one-line descriptions of refused connections and requests. */
class AccessFailuresTest {

  @Test
  void aWrongPasswordPointsAtTheJaasConfig() {
    assertThat(
            AccessFailures.describe(
                new SaslAuthenticationException(
                    "Authentication failed during authentication due to invalid credentials with"
                        + " SASL mechanism SCRAM-SHA-512")))
        .isEqualTo(
            "authentication failed: Authentication failed during authentication due to invalid"
                + " credentials with SASL mechanism SCRAM-SHA-512 (check the user name and"
                + " password in sasl.jaas.config)");
  }

  @Test
  void anUntrustedCertificatePointsAtTheTruststore() {
    SslAuthenticationException untrusted =
        new SslAuthenticationException(
            "SSL handshake failed",
            new SSLHandshakeException("PKIX path validation failed: signature check failed"));
    assertThat(AccessFailures.describe(untrusted))
        .isEqualTo(
            "TLS handshake failed: the broker's certificate is not signed by a CA in the truststore"
                + " (check ssl.truststore.location)");

    SslAuthenticationException other =
        new SslAuthenticationException(
            "SSL handshake failed", new SSLHandshakeException("No subject alternative names"));
    assertThat(AccessFailures.describe(other))
        .isEqualTo("TLS handshake failed: No subject alternative names");
  }

  @Test
  void aMissingAclNamesTheTopicOrGroupWhenKafkaDoes() {
    assertThat(AccessFailures.describe(new TopicAuthorizationException(Set.of("samples.x.train"))))
        .startsWith("not authorized for topic(s) samples.x.train (Not authorized to access topics")
        .endsWith("; the user needs the ACLs in docs/security.md");
    assertThat(AccessFailures.describe(GroupAuthorizationException.forGroupId("memoscope-metrics")))
        .startsWith("not authorized for consumer group memoscope-metrics (");
    assertThat(
            AccessFailures.describe(
                new ClusterAuthorizationException("Cluster authorization failed.")))
        .isEqualTo(
            "not authorized (Cluster authorization failed); the user needs the ACLs in"
                + " docs/security.md");
  }

  @Test
  void findsTheFailureAmongTheCausesOnly() {
    KafkaException wrapped =
        new KafkaException("reading", new TopicAuthorizationException(Set.of("t")));
    assertThat(AccessFailures.describeCause(wrapped)).get().asString().contains("topic(s) t");
    assertThat(AccessFailures.describeCause(new KafkaException("broker gone"))).isEmpty();
  }

  @Test
  void anAwaitedCallThatWasRefusedSaysWhichCall() {
    KafkaFutureImpl<Void> future = new KafkaFutureImpl<>();
    future.completeExceptionally(new TopicAuthorizationException("Authorization failed."));

    assertThatThrownBy(
            () -> KafkaFutures.await(future, Duration.ofSeconds(1), "Failed to create topic t"))
        .isInstanceOf(AccessFailures.Refused.class)
        .hasMessage(
            "Failed to create topic t: not authorized (Authorization failed); the user needs the"
                + " ACLs in docs/security.md");
  }
}
