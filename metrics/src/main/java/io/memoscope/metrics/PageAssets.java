package io.memoscope.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The live page's static files, all from the classpath: the page's own HTML, JavaScript and CSS
 * ({@code io/memoscope/metrics/page/}) and uPlot from its WebJar. Only names from a fixed alphabet
 * without slashes are looked up, so no request can reach another resource.
 */
final class PageAssets {

  /** A file to send. */
  record Asset(String contentType, byte[] body) {}

  private static final String PAGE = "io/memoscope/metrics/page/";
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  /** Public name → file of uPlot's WebJar (under its dist/ folder). */
  private static final Map<String, String> UPLOT =
      Map.of(
          "uplot.js", "uPlot.iife.min.js",
          "uplot.css", "uPlot.min.css");

  private PageAssets() {}

  /** The page itself, for {@code /}. */
  static Optional<Asset> index() {
    return page("index.html");
  }

  /** {@code /page/NAME}: one of the page's own files. */
  static Optional<Asset> page(String name) {
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return load(PAGE + name, type(name));
  }

  /** {@code /assets/NAME}: a file of the charting library ({@code uplot.js}, {@code uplot.css}). */
  static Optional<Asset> library(String name) {
    String file = UPLOT.get(name);
    if (file == null) {
      return Optional.empty();
    }
    return uplotVersion()
        .flatMap(
            version ->
                load("META-INF/resources/webjars/uplot/" + version + "/dist/" + file, type(name)));
  }

  /** uPlot's version, from the WebJar's own Maven metadata (the pom pins it once). */
  static Optional<String> uplotVersion() {
    try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
      if (in == null) {
        return Optional.empty();
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.ofNullable(properties.getProperty("version"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String type(String name) {
    return TYPES.get(name.substring(name.lastIndexOf('.') + 1));
  }

  private static Optional<Asset> load(String resource, String contentType) {
    try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(new Asset(contentType, in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
