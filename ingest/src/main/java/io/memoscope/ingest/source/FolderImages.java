package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.SourceException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files with ImageIO, turning every failure into a {@link SourceException} naming the
 * file. A decoder warning counts as a failure: Java's JPEG decoder reports a truncated file only as
 * a warning and fills the missing part with grey, which would be silently wrong data.
 */
final class FolderImages {

  private FolderImages() {}

  /** The image's size from its header, without decoding pixels. */
  static FolderSize size(Path file) {
    return withReader(file, reader -> new FolderSize(reader.getHeight(0), reader.getWidth(0)));
  }

  static BufferedImage decode(Path file) {
    return withReader(
        file,
        reader -> {
          List<String> warnings = new ArrayList<>();
          reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
          BufferedImage image = reader.read(0);
          if (!warnings.isEmpty()) {
            throw new IOException(String.join("; ", warnings));
          }
          return image;
        });
  }

  private interface ReaderAction<T> {
    T apply(ImageReader reader) throws IOException;
  }

  private static <T> T withReader(Path file, ReaderAction<T> action) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new SourceException(file + ": unreadable image: cannot open the file");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new SourceException(
            file + ": unreadable image: not in a format ImageIO can decode (PNG or JPEG expected)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return action.apply(reader);
      } finally {
        reader.dispose();
      }
    } catch (SourceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Decoders throw unchecked exceptions too (array bounds, bad arguments) on malformed data.
      throw new SourceException(file + ": unreadable image: " + reason(e), e);
    }
  }

  /**
   * The messages of the exception and its causes, on one line: decoders often wrap the real cause.
   */
  private static String reason(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
      String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (!messages.contains(message)) {
        messages.add(message);
      }
    }
    return String.join(": ", messages).replaceAll("\\s+", " ").strip();
  }
}
