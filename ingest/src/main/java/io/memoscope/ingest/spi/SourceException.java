package io.memoscope.ingest.spi;

/**
 * Bad input: a missing file, a wrong header, a truncated file, a label out of range, an unreadable
 * image. The message is one line that names the file (and record) and the fault, e.g. {@code
 * train-images-idx3-ubyte.gz: truncated: 47,040,016 bytes expected, 1,024 found}.
 */
public class SourceException extends RuntimeException {

  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
