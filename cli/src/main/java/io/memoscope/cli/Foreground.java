package io.memoscope.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a long-lived service in the foreground until Ctrl-C or SIGTERM. Both signals run the JVM's
 * shutdown hooks, so that is where the service is stopped cleanly; the command's thread waits until
 * it has.
 */
final class Foreground {

  private Foreground() {}

  /**
   * Starts the service, announces it and blocks until a signal has stopped it.
   *
   * @param name what the stop messages call it ("broker" gives "stopping broker ..." and "broker
   *     stopped")
   * @param start starts the service; if it throws, {@code stop} runs and the exception goes on
   * @param announce prints where the service can be reached, once it has started
   */
  static void serve(PrintWriter out, String name, Runnable start, Runnable stop, Runnable announce)
      throws InterruptedException {
    serve(out, name, start, stop, announce, new CompletableFuture<>());
  }

  /**
   * As {@link #serve(PrintWriter, String, Runnable, Runnable, Runnable)}, and also ends when {@code
   * failure} completes: the service is stopped and an exception with the failure's reason goes on
   * (one line and exit 1 for the command), instead of a process that runs on serving nothing.
   */
  static void serve(
      PrintWriter out,
      String name,
      Runnable start,
      Runnable stop,
      Runnable announce,
      CompletableFuture<String> failure)
      throws InterruptedException {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    AtomicBoolean stopping = new AtomicBoolean();
    Thread shutdown =
        new Thread(
            () -> {
              stopping.set(true);
              out.println("stopping " + name + " ...");
              out.flush();
              stop.run();
              out.println(name + " stopped");
              out.flush();
              stopped.complete(null);
            },
            "memoscope-" + name.replace(' ', '-') + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      start.run();
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      stop.run();
      throw e;
    }
    if (!stopping.get()) { // a signal during start-up: no "Ctrl-C stops it" after "stopping"
      announce.run();
      out.println("Ctrl-C stops it.");
      out.flush();
    }
    try {
      CompletableFuture.anyOf(stopped, failure).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    if (!stopped.isDone() && Runtime.getRuntime().removeShutdownHook(shutdown)) {
      stop.run();
      throw new IllegalStateException(name + " failed: " + failure.getNow("?"));
    }
    stopped.join(); // a signal came in meanwhile: wait for its clean stop
  }
}
