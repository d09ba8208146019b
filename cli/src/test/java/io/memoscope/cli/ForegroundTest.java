package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A service that fails for good ends its command (exit 1, one line) instead of running on serving
 * nothing.
 */
class ForegroundTest {

  @Test
  void aServiceThatFailsIsStoppedAndItsReasonGoesOn() {
    CompletableFuture<String> failure = new CompletableFuture<>();
    AtomicBoolean stopped = new AtomicBoolean();
    StringWriter out = new StringWriter();

    assertThatThrownBy(
            () ->
                Foreground.serve(
                    new PrintWriter(out),
                    "metrics service",
                    () -> {},
                    () -> stopped.set(true),
                    () -> failure.complete("Kafka Streams thread failed: boom"),
                    failure))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("metrics service failed: Kafka Streams thread failed: boom");
    assertThat(stopped).isTrue();
  }

  @Test
  void aServiceThatFailsWhileStartingIsStoppedToo() {
    AtomicBoolean stopped = new AtomicBoolean();

    assertThatThrownBy(
            () ->
                Foreground.serve(
                    new PrintWriter(new StringWriter()),
                    "broker",
                    () -> {
                      throw new IllegalStateException("port taken");
                    },
                    () -> stopped.set(true),
                    () -> {},
                    new CompletableFuture<>()))
        .hasMessage("port taken");
    assertThat(stopped).isTrue();
  }
}
