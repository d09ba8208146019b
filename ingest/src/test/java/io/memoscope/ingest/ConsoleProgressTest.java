package io.memoscope.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void onATerminalABarIsRedrawnInPlaceAndEndsWithANewline() {
    ConsoleProgress progress = new ConsoleProgress(out, true, 0);
    progress.started("demo", 100);
    progress.advanced(50);
    progress.advanced(100);
    progress.finished();

    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown)
        .startsWith("\rdemo [###############...............]  50% 50/100 images")
        .contains("\rdemo [##############################] 100% 100/100 images")
        .contains("images/s")
        .endsWith(System.lineSeparator());
  }

  @Test
  void elsewherePlainLinesArePrinted() {
    ConsoleProgress progress = new ConsoleProgress(out, false, 0);
    progress.started("demo", 10);
    progress.advanced(5);
    progress.finished();

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .doesNotContain("\r")
        .startsWith("ingest demo: 5/10 images (50%), ")
        .endsWith("images/s" + System.lineSeparator());
  }

  @Test
  void nothingIsShownMoreOftenThanTheInterval() {
    ConsoleProgress progress = new ConsoleProgress(out, false, 60_000);
    progress.started("demo", 10);
    for (int i = 1; i <= 10; i++) {
      progress.advanced(i);
    }
    progress.finished();

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
