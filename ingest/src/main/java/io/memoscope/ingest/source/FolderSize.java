package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import java.util.Locale;

/** Height and width of an image, written HEIGHTxWIDTH as in the {@code resize} option. */
record FolderSize(int height, int width) {

  /** Keeps height·width·3 well inside an int (one image is one byte array). */
  static final int MAX_SIDE = 8192;

  /** Parses the {@code resize} option: {@code 32x32}, {@code 28X40} (height 28, width 40). */
  static FolderSize parse(String option, String value) {
    String[] parts = value.trim().toLowerCase(Locale.ROOT).split("x", -1);
    if (parts.length == 2) {
      try {
        int height = Integer.parseInt(parts[0].trim());
        int width = Integer.parseInt(parts[1].trim());
        if (height >= 1 && width >= 1 && height <= MAX_SIDE && width <= MAX_SIDE) {
          return new FolderSize(height, width);
        }
      } catch (NumberFormatException e) {
        // Falls through to the one message for every malformed value.
      }
    }
    throw new SourceException(
        "option "
            + option
            + ": '"
            + value
            + "' is not HEIGHTxWIDTH with sides from 1 to "
            + MAX_SIDE
            + ", e.g. 32x32");
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
