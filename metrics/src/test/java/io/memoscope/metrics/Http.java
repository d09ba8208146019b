package io.memoscope.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GET requests against the service, for tests and the benchmark. */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  public static HttpResponse<String> get(String url) {
    return get(url, HttpResponse.BodyHandlers.ofString());
  }

  /** The answer with its body as bytes (an image). */
  public static HttpResponse<byte[]> bytes(String url) {
    return get(url, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static <T> HttpResponse<T> get(String url, HttpResponse.BodyHandler<T> body) {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
          body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String body(String url) {
    HttpResponse<String> response = get(url);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
