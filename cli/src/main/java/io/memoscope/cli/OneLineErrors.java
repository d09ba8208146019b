package io.memoscope.cli;

import io.memoscope.protocol.kafka.AccessFailures;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A failed command prints one line a user can act on ({@code memoscope broker: port 9092 is in
 * use}), not a stack trace; the trace goes to the log at DEBUG for whoever needs it.
 */
final class OneLineErrors implements IExecutionExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(OneLineErrors.class);

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    log.debug("command failed", e);
    commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
    commandLine.getErr().flush();
    return 1;
  }

  static String describe(Throwable e) {
    if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
      // Kafka's own, bare: "Authorization failed." says neither what nor why.
      return AccessFailures.describe(e);
    }
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if ((message == null || message.isBlank()) && cause != null) {
      return describe(cause);
    }
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message);
  }
}
