package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The validated options of the folder source.
 *
 * @param dir the root holding {@code train/<class>/} and {@code test/<class>/}
 * @param resize the size every image is scaled to, if any
 * @param channels 1 or 3 if given; otherwise taken from the first train image
 */
record FolderOptions(Path dir, Optional<FolderSize> resize, OptionalInt channels) {

  static final String DIR = "dir";
  static final String RESIZE = "resize";
  static final String CHANNELS = "channels";

  static FolderOptions parse(SourceOptions options) {
    Path dir =
        options
            .get(DIR)
            .filter(value -> !value.isBlank())
            .map(Path::of)
            .orElseThrow(
                () ->
                    new SourceException(
                        "option "
                            + DIR
                            + " is required: the folder holding train/<class>/ and test/<class>/ with the images"));
    Optional<FolderSize> resize = options.get(RESIZE).map(value -> FolderSize.parse(RESIZE, value));
    OptionalInt channels = OptionalInt.empty();
    if (options.get(CHANNELS).isPresent()) {
      int value = options.intValue(CHANNELS, 0);
      if (value != 1 && value != 3) {
        throw new SourceException(
            "option " + CHANNELS + ": must be 1 (grey) or 3 (RGB), not " + value);
      }
      channels = OptionalInt.of(value);
    }
    return new FolderOptions(dir, resize, channels);
  }
}
