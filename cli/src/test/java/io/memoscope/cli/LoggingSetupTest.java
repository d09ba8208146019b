package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/**
 * DL4J depends on slf4j-api 1.7, which finds no 2.x binding and silently drops every line. The
 * reactor pins one slf4j 2.x and logback; this proves the launcher's classpath really logs, for
 * DL4J/ND4J, Kafka and log4j-api callers (the Kafka broker) alike.
 */
class LoggingSetupTest {

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void capture() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    captured.start();
    root.addAppender(captured);
  }

  @AfterEach
  void release() {
    root.detachAppender(captured);
  }

  @Test
  void slf4jIsBoundToLogback() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(LoggerContext.class);
  }

  @Test
  void nd4jLogsReachLogback() {
    // The first use of ND4J loads its native backend and announces it at INFO.
    assertThat(Nd4j.create(new float[] {1, 2, 3}).sumNumber().doubleValue()).isEqualTo(6.0);

    assertThat(captured.list)
        .as("log events from org.nd4j")
        .anySatisfy(event -> assertThat(event.getLoggerName()).startsWith("org.nd4j"));
  }

  @Test
  void log4jApiCallersReachLogback() {
    org.apache.logging.log4j.LogManager.getLogger("kafka.server.Probe").warn("via log4j-api");

    assertThat(captured.list)
        .anySatisfy(event -> {
          assertThat(event.getLoggerName()).isEqualTo("kafka.server.Probe");
          assertThat(event.getFormattedMessage()).isEqualTo("via log4j-api");
        });
  }
}
