package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.reflect.Field;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
  void deeplearning4jsOwnLoggersAreLogbackLoggers() throws Exception {
    // DL4J's classes hold their loggers in a static field named log (Lombok's @Slf4j). Use that
    // very instance: whether DL4J already logged in this JVM no longer matters.
    Field field = MultiLayerNetwork.class.getDeclaredField("log");
    field.setAccessible(true);
    org.slf4j.Logger dl4j = (org.slf4j.Logger) field.get(null);

    dl4j.info("from DL4J's own logger");

    assertThat(dl4j).isInstanceOf(Logger.class);
    assertThat(captured.list)
        .anySatisfy(
            event -> {
              assertThat(event.getLoggerName()).isEqualTo(MultiLayerNetwork.class.getName());
              assertThat(event.getFormattedMessage()).isEqualTo("from DL4J's own logger");
            });
  }

  @Test
  void log4jApiCallersReachLogback() {
    org.apache.logging.log4j.LogManager.getLogger("kafka.server.Probe").warn("via log4j-api");

    assertThat(captured.list)
        .anySatisfy(
            event -> {
              assertThat(event.getLoggerName()).isEqualTo("kafka.server.Probe");
              assertThat(event.getFormattedMessage()).isEqualTo("via log4j-api");
            });
  }
}
