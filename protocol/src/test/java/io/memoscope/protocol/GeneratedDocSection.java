package io.memoscope.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a repository document that is generated from code, between two marker lines. The tests
 * that own such a part (SchemaDocTest, trainer's SettingsDocTest) compare it with what the code
 * gives and can rewrite it; this test jar carries the class to the other modules.
 *
 * @param document the document, relative to the repository root (as {@code docs/schema.md})
 * @param begin the first line of the section
 * @param end the last line of the section
 */
public record GeneratedDocSection(Path document, String begin, String end) {

  /** A module's tests run in its folder; the repository is the one above. */
  public static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

  public GeneratedDocSection {
    document = REPOSITORY.resolve(document);
  }

  /**
   * The document's text; when the system property {@code writeProperty} is true, first rewrites the
   * file with {@code expected} as its section.
   */
  public String read(String expected, String writeProperty) throws IOException {
    String doc = Files.readString(document, StandardCharsets.UTF_8);
    if (Boolean.getBoolean(writeProperty)) {
      doc = replace(doc, expected);
      Files.writeString(document, doc, StandardCharsets.UTF_8);
    }
    return doc;
  }

  /** The section of {@code doc}, markers included, or null when it lacks the markers. */
  public String in(String doc) {
    int from = doc.indexOf(begin);
    int to = doc.indexOf(end);
    return from < 0 || to < from ? null : doc.substring(from, to + end.length());
  }

  private String replace(String doc, String section) {
    String current = in(doc);
    if (current == null) {
      throw new IllegalStateException(
          document + " has no " + begin + " … " + end + " section to fill in");
    }
    return doc.replace(current, section);
  }
}
