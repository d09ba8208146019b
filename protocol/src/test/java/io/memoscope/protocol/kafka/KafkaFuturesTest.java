package io.memoscope.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one way every module waits on a Kafka future: one-line failures, typed ones, interrupts kept.
 */
class KafkaFuturesTest {

  private static final Duration SHORT = Duration.ofMillis(50);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aValueIsReturned() {
    KafkaFutureImpl<String> future = new KafkaFutureImpl<>();
    future.complete("cluster-1");

    assertThat(KafkaFutures.get(future, SHORT, "reading the cluster id")).isEqualTo("cluster-1");
    assertThat(KafkaFutures.await(future, SHORT, "reading the cluster id")).isEqualTo("cluster-1");
  }

  @Test
  void aFailureIsOneLineNamingTheCallWithKafkasExceptionAsCause() {
    KafkaFutureImpl<Void> future = new KafkaFutureImpl<>();
    TopicExistsException exists =
        new TopicExistsException("Topic 'memoscope.runs' already exists.");
    future.completeExceptionally(exists);

    assertThatThrownBy(() -> KafkaFutures.get(future, SHORT, "creating memoscope.runs"))
        .isInstanceOf(KafkaCallException.class)
        .hasMessage("creating memoscope.runs: Topic 'memoscope.runs' already exists.")
        .hasCause(exists);
    assertThatThrownBy(() -> KafkaFutures.await(future, SHORT, "creating memoscope.runs"))
        .isSameAs(exists);
  }

  @Test
  void aFailureThatIsNotKafkasIsWrappedByAwaitNamingTheCall() {
    CompletableFuture<Void> future =
        CompletableFuture.failedFuture(new IllegalStateException("closed"));

    assertThatThrownBy(() -> KafkaFutures.await(future, SHORT, "listing topics"))
        .isExactlyInstanceOf(KafkaException.class)
        .hasMessage("listing topics: closed");
  }

  @Test
  void noAnswerWithinTheTimeoutSaysSo() {
    KafkaFutureImpl<Void> never = new KafkaFutureImpl<>();

    assertThatThrownBy(() -> KafkaFutures.get(never, SHORT, "listing topics"))
        .isInstanceOf(KafkaCallException.class)
        .hasMessage("listing topics: no answer within 50 ms");
    assertThatThrownBy(() -> KafkaFutures.get(never, Duration.ofSeconds(0), "listing topics"))
        .hasMessage("listing topics: no answer within 0 s");
    assertThatThrownBy(() -> KafkaFutures.await(never, SHORT, "listing topics"))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("listing topics: no answer within 50 ms");
  }

  @Test
  void anInterruptFailsTheCallAndKeepsTheThreadsInterruptFlag() {
    KafkaFutureImpl<Void> never = new KafkaFutureImpl<>();

    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> KafkaFutures.get(never, Duration.ofMinutes(1), "listing topics"))
        .isInstanceOf(KafkaCallException.class)
        .hasMessage("listing topics: interrupted");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();

    assertThatThrownBy(() -> KafkaFutures.await(never, Duration.ofMinutes(1), "listing topics"))
        .isInstanceOf(InterruptException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }
}
