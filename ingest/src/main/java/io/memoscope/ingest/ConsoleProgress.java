package io.memoscope.ingest;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress for people: a bar redrawn in place on a terminal, or a plain line every few seconds when
 * the output is a file or a pipe (CI logs, {@code | tee}).
 */
public final class ConsoleProgress implements IngestProgress {

  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private String dataset = "";
  private long total;
  private long startedAt;
  private long lastShown;
  private long done;

  /**
   * @param terminal redraw a bar in place ({@code \r}); else print lines
   * @param intervalMillis how often to show progress
   */
  public ConsoleProgress(PrintStream out, boolean terminal, long intervalMillis) {
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** A bar every 200 ms on a terminal, else a line every 5 s. */
  public static ConsoleProgress forStderr(boolean terminal) {
    return new ConsoleProgress(System.err, terminal, terminal ? 200 : 5_000);
  }

  @Override
  public void started(String dataset, long total) {
    this.dataset = dataset;
    this.total = total;
    this.startedAt = System.nanoTime();
    this.lastShown = startedAt;
  }

  @Override
  public void advanced(long done) {
    this.done = done;
    long now = System.nanoTime();
    if (now - lastShown >= intervalNanos) {
      lastShown = now;
      show(now);
    }
  }

  @Override
  public void finished() {
    if (terminal && done > 0) {
      show(System.nanoTime());
      out.println();
    }
  }

  private void show(long now) {
    double seconds = (now - startedAt) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    double fraction = total > 0 ? (double) done / total : 1;
    if (terminal) {
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s left", (total - done) / rate) : "";
      out.printf(
          Locale.ROOT,
          "\r%s [%s%s] %3.0f%% %,d/%,d images  %,.0f images/s  %s   ",
          dataset,
          "#".repeat(filled),
          ".".repeat(BAR_WIDTH - filled),
          fraction * 100,
          done,
          total,
          rate,
          eta);
    } else {
      out.printf(
          Locale.ROOT,
          "ingest %s: %,d/%,d images (%.0f%%), %,.0f images/s%n",
          dataset,
          done,
          total,
          fraction * 100,
          rate);
    }
    out.flush();
  }
}
