package io.memoscope.protocol.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Waiting on the futures Kafka's clients return (admin calls, producer sends), with a deadline, in
 * the one way every module does it: the caller says what it was doing, a failure says that in one
 * line, and an interrupt keeps the thread's interrupt flag set.
 */
public final class KafkaFutures {

  private KafkaFutures() {}

  /**
   * The future's value.
   *
   * @param what what the call does, for the message: e.g. {@code "listing the offsets of
   *     samples.x.train"}
   * @throws KafkaCallException naming {@code what} and the cause (Kafka's message, "no answer
   *     within N s", or "interrupted"), with Kafka's exception as its cause
   */
  public static <T> T get(Future<T> future, Duration timeout, String what) {
    try {
      return waitFor(future, timeout);
    } catch (ExecutionException e) {
      throw new KafkaCallException(what + ": " + message(e.getCause()), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new KafkaCallException(what + ": " + noAnswerWithin(timeout), e);
    } catch (InterruptException e) {
      throw new KafkaCallException(what + ": interrupted", e);
    }
  }

  /**
   * The future's value, or Kafka's own exception: for callers that act on its type (a topic that
   * exists, a retriable error).
   *
   * @throws KafkaException the call's exception as Kafka raised it; one that is not a
   *     KafkaException comes wrapped in one that names {@code what}
   * @throws TimeoutException if no answer came within {@code timeout}
   * @throws InterruptException if the thread was interrupted (its interrupt flag stays set)
   */
  public static <T> T await(Future<T> future, Duration timeout, String what) {
    try {
      return waitFor(future, timeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException refused) {
        // Kafka's "Authorization failed." names neither the call nor the resource.
        throw new AccessFailures.Refused(what, refused);
      }
      if (e.getCause() instanceof KafkaException kafkaException) {
        throw kafkaException;
      }
      throw new KafkaException(what + ": " + message(e.getCause()), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException(what + ": " + noAnswerWithin(timeout), e);
    }
  }

  private static <T> T waitFor(Future<T> future, Duration timeout)
      throws ExecutionException, java.util.concurrent.TimeoutException {
    try {
      return future.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private static String message(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  private static String noAnswerWithin(Duration timeout) {
    return "no answer within "
        + (timeout.toMillis() % 1000 == 0
            ? timeout.toSeconds() + " s"
            : timeout.toMillis() + " ms");
  }
}
