package io.memoscope.metrics;

import io.memoscope.protocol.kafka.AccessFailures;
import io.memoscope.protocol.kafka.KafkaCallException;
import io.memoscope.protocol.kafka.KafkaFutures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's Kafka Streams client, replaced by a fresh one on wiped local state whenever that
 * state turns out not to match the cluster.
 *
 * <p>Kafka Streams keeps the global tables ({@code memoscope.runs}, {@code memoscope.datasets}) in
 * the state directory with the offsets it read them up to, and trusts those offsets. When a topic
 * was truncated or recreated, or the whole cluster replaced, they are out of range: the global
 * thread dies on an {@link InvalidOffsetException} and the client goes to ERROR, where it would
 * stay, serving nothing. Instead, this class closes it, wipes the local state ({@link
 * KafkaStreams#cleanUp()}) and starts a new client, which rebuilds everything from Kafka; it logs
 * one line saying so. The same goes, before the first start, for a state directory the service
 * knows was written for another cluster ({@link ClusterStamp}). A client that fails the same way
 * within a minute of its rebuild is not rebuilt again (the cause is then not the local state):
 * that, and any other thread failure, is logged and leaves the client in ERROR, which {@code
 * /healthz} reports.
 */
final class RecoveringStreams implements AutoCloseable {

  /** What the service does around each client. */
  interface Hooks {
    /**
     * {@code next} replaces {@code previous} (null the first time), which is closed; {@code next}
     * is not started yet.
     */
    void replaced(KafkaStreams previous, KafkaStreams next);

    /** A state change of a client, on one of Kafka Streams' threads. */
    void stateChanged(KafkaStreams.State now, KafkaStreams.State before);
  }

  private static final Logger log = LoggerFactory.getLogger(RecoveringStreams.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A client rebuilt less than this ago that fails on stale offsets again is not rebuilt again: its
   * state is fresh from Kafka, so the cause lies elsewhere, and rebuilding would only loop.
   */
  private static final Duration SETTLING = Duration.ofMinutes(1);

  private final Supplier<KafkaStreams> factory;
  private final Path stateDir;
  private final String applicationId;
  private final Admin admin;
  private final Runnable beforeStart;
  private final Hooks hooks;

  /** Held while a client is replaced or closed, so that close() never races a rebuild. */
  private final Object lock = new Object();

  private boolean closed;
  private volatile KafkaStreams current;
  private volatile String rebuilding;
  private volatile String failure;
  private final CompletableFuture<String> failed = new CompletableFuture<>();

  /**
   * @param factory a new, unstarted client of the service's topology
   * @param config the state directory and application id of the clients
   * @param admin for the consumer group of a failed client
   * @param beforeStart runs before every client starts, after the state is wiped (records the
   *     cluster id)
   */
  RecoveringStreams(
      Supplier<KafkaStreams> factory,
      MetricsConfig config,
      Admin admin,
      Runnable beforeStart,
      Hooks hooks) {
    this.factory = factory;
    this.stateDir = config.stateDir().toAbsolutePath();
    this.applicationId = config.applicationId();
    this.admin = admin;
    this.beforeStart = beforeStart;
    this.hooks = hooks;
  }

  /** Starts the first client, on wiped local state if {@code wipeBecause} says why. */
  void start(Optional<String> wipeBecause) {
    synchronized (lock) {
      launch(wipeBecause.orElse(null));
    }
  }

  /** The client now serving; another one after a rebuild. */
  KafkaStreams current() {
    return current;
  }

  /** Why the local state is being rebuilt, until the rebuilt client first runs. */
  Optional<String> rebuilding() {
    return Optional.ofNullable(rebuilding);
  }

  /** Why the client stopped for good, if it did through a failure this class could not repair. */
  Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Completes, with the reason, when the client stops for good (see {@link #failure()}). */
  CompletableFuture<String> failed() {
    return failed;
  }

  private void fail(String reason) {
    failure = reason;
    failed.complete(reason);
  }

  /**
   * @param wipeBecause why the local state must go first; null: start on it as it is
   */
  private void launch(String wipeBecause) {
    KafkaStreams next = factory.get();
    watch(next, wipeBecause != null);
    hooks.replaced(current, next);
    current = next;
    if (wipeBecause != null) {
      log.warn("{}: wiping it and rebuilding from Kafka", wipeBecause);
      rebuilding = wipeBecause;
      next.cleanUp();
    }
    beforeStart.run();
    try {
      next.start();
    } catch (RuntimeException e) {
      // The global tables are bootstrapped within start(), so stale offsets may show here already.
      Optional<String> stale = staleOffsets(e);
      if (stale.isEmpty() || wipeBecause != null) {
        throw e;
      }
      next.close(CLOSE_TIMEOUT);
      launch(stale.get());
    }
  }

  private void watch(KafkaStreams streams, boolean rebuilt) {
    long created = System.nanoTime();
    // Whether this client died of local state that does not match the cluster.
    AtomicReference<String> stale = new AtomicReference<>();
    streams.setUncaughtExceptionHandler(
        e -> {
          Optional<String> offsets = staleOffsets(e);
          boolean justRebuilt = rebuilt && System.nanoTime() - created < SETTLING.toNanos();
          if (offsets.isPresent() && !justRebuilt) {
            stale.set(offsets.get());
          } else if (offsets.isPresent()) {
            fail(offsets.get() + ", even after it was rebuilt from Kafka");
            log.error(
                "Kafka Streams failed: {}; the service stops processing (see /healthz)", failure);
          } else {
            fail(
                "Kafka Streams thread failed: "
                    + AccessFailures.describeCause(e).orElse(String.valueOf(e)));
            log.error(
                "Kafka Streams thread failed; the service stops processing (see /healthz)", e);
          }
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            rebuilding = null;
          }
          hooks.stateChanged(now, before);
          if (now == KafkaStreams.State.ERROR && stale.get() != null) {
            // Not on this thread: it belongs to the failed client, which the rebuild closes.
            Thread rebuild =
                new Thread(() -> rebuild(streams, stale.get()), "memoscope-metrics-rebuild");
            rebuild.setDaemon(true);
            rebuild.start();
          }
        });
  }

  private void rebuild(KafkaStreams failed, String why) {
    synchronized (lock) {
      if (closed || current != failed) {
        return;
      }
      try {
        failed.close(CLOSE_TIMEOUT);
        releaseGroup();
        launch(why);
      } catch (RuntimeException e) {
        fail("could not rebuild the local state in " + stateDir + " from Kafka: " + e);
        log.error(
            "Could not rebuild the local state in {} from Kafka; the service stops processing (see /healthz)",
            stateDir,
            e);
      }
    }
  }

  /**
   * Takes the failed client's members out of the consumer group. A client that failed does not
   * leave the group (Kafka Streams' consumers never send a leave on close), so without this its
   * replacement would wait for the dead members' session timeout (45 s) before it gets the
   * partitions. Removing every member is safe with one instance per application id (see
   * docs/metrics.md), and even beside a second one: a live member that is removed just rejoins.
   */
  private void releaseGroup() {
    try {
      KafkaFutures.get(
          admin
              .removeMembersFromConsumerGroup(
                  applicationId, new RemoveMembersFromConsumerGroupOptions())
              .all(),
          CLOSE_TIMEOUT,
          "removing the members of consumer group " + applicationId);
    } catch (KafkaCallException e) {
      // Typically no member left to remove; the rebuild only takes longer if one stays.
      log.debug("{}", e.getMessage(), e);
    }
  }

  /** Why the client failed, if it failed on offsets the cluster no longer has. */
  private Optional<String> staleOffsets(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidOffsetException invalid) {
        String partitions =
            invalid.partitions().stream()
                .map(String::valueOf)
                .sorted()
                .collect(Collectors.joining(", "));
        return Optional.of(
            "state directory "
                + stateDir
                + " holds offsets of "
                + partitions
                + " that the cluster no longer has");
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      KafkaStreams streams = current;
      if (streams != null) {
        // Leave the group on the way out, so that a replacement instance gets the partitions at
        // once instead of after the session timeout (45 s by default).
        streams.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
      }
    }
  }
}
