package io.memoscope.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * SCRAM users and ACLs of a secured broker, set through the controller and awaited until the broker
 * applies them (the broker learns of them from the metadata log a moment after the controller
 * answers).
 */
final class SecurityAdmin {

  private static final int ITERATIONS = 4096;
  private static final long POLL_MILLIS = 50;

  private SecurityAdmin() {}

  /** Creates the users or sets their passwords, and waits until the broker knows every one. */
  static void upsertScramUsers(
      Map<String, Object> adminConfig, Map<String, String> users, long deadlineNanos) {
    ScramCredentialInfo info =
        new ScramCredentialInfo(ScramMechanism.fromMechanismName(Security.MECHANISM), ITERATIONS);
    List<UserScramCredentialAlteration> upserts =
        users.entrySet().stream()
            .<UserScramCredentialAlteration>map(
                user -> new UserScramCredentialUpsertion(user.getKey(), info, user.getValue()))
            .toList();
    try (Admin admin = Admin.create(withTimeouts(adminConfig, deadlineNanos))) {
      get(admin.alterUserScramCredentials(upserts).all(), deadlineNanos, "creating SCRAM users");
      await(
          deadlineNanos,
          "the broker to know the SCRAM users " + users.keySet(),
          () ->
              get(admin.describeUserScramCredentials().all(), deadlineNanos, "describing users")
                  .keySet()
                  .containsAll(users.keySet()));
    }
  }

  /** Creates the ACLs and waits until the broker's authorizer holds every one. */
  static void createAcls(
      Map<String, Object> adminConfig, Collection<AclBinding> bindings, Duration timeout) {
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(withTimeouts(adminConfig, deadlineNanos))) {
      get(admin.createAcls(bindings).all(), deadlineNanos, "creating ACLs " + bindings);
      await(
          deadlineNanos,
          "the broker to enforce the ACLs " + bindings,
          () ->
              new HashSet<>(
                      get(
                          admin.describeAcls(AclBindingFilter.ANY).values(),
                          deadlineNanos,
                          "describing ACLs"))
                  .containsAll(bindings));
    }
  }

  private static Map<String, Object> withTimeouts(Map<String, Object> config, long deadlineNanos) {
    int remainingMs = remainingMillis(deadlineNanos);
    Map<String, Object> withTimeouts = new HashMap<>(config);
    withTimeouts.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remainingMs);
    withTimeouts.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(remainingMs, 5_000));
    return withTimeouts;
  }

  private static int remainingMillis(long deadlineNanos) {
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static <T> T get(KafkaFuture<T> future, long deadlineNanos, String what) {
    try {
      return future.get(remainingMillis(deadlineNanos) + 1_000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new EmbeddedKafkaException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new EmbeddedKafkaException(what + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while " + what, e);
    }
  }

  /** Polls {@code done} until it holds; in between, gives the broker a moment. */
  private static void await(long deadlineNanos, String what, BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new EmbeddedKafkaException("Timed out waiting for " + what);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedKafkaException("Interrupted while waiting for " + what, e);
      }
    }
  }
}
