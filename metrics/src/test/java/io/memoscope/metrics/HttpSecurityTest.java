package io.memoscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.broker.TlsMaterial;
import io.memoscope.protocol.config.KafkaConnection;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint behind basic auth and TLS, on a real service: nothing but /healthz without
 * the password, everything with it, over HTTPS that only a client trusting the CA accepts; and a
 * bind beyond loopback refused without a password.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HttpSecurityTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir static Path temp;

  private static final String PASSWORD = "s3cret-Pa55";
  private static TlsMaterial tls;
  private static MetricsService service;

  @BeforeAll
  static void startBehindBasicAuthAndTls() throws Exception {
    tls = TlsMaterial.generate(Files.createDirectories(temp.resolve("tls")));
    Path file = temp.resolve("http.properties");
    Files.writeString(
        file,
        "basic-auth.username=prometheus\nbasic-auth.password="
            + PASSWORD
            + "\ntls.keystore="
            + tls.keystore()
            + "\ntls.keystore-password="
            + tls.password()
            + "\n");
    HttpSecurity security = HttpSecurity.load(Optional.of(file), Map.of());
    MetricsConfig config =
        MetricsConfig.defaults(
                new KafkaConnection(kafka.bootstrapServers(), Map.of()), temp.resolve("state"))
            .withApplicationId("http-security")
            .withHttp("127.0.0.1", 0);
    service = new MetricsService(config, null).securedBy(security).start();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void withoutThePasswordOnlyTheLivenessProbeAnswers() throws Exception {
    HttpClient client = trusting();

    HttpResponse<String> metrics = get(client, "/metrics", null);
    HttpResponse<String> runs = get(client, "/api/runs", "prometheus:wrong");

    assertThat(service.url()).startsWith("https://");
    assertThat(metrics.statusCode()).isEqualTo(401);
    assertThat(metrics.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Basic realm=\"memoscope\"");
    assertThat(runs.statusCode()).isEqualTo(401);
    assertThat(get(client, "/", null).statusCode()).as("the page").isEqualTo(401);
    assertThat(get(client, "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void withThePasswordEverythingAnswers() throws Exception {
    HttpClient client = trusting();
    String user = "prometheus:" + PASSWORD;

    assertThat(get(client, "/metrics", user).statusCode()).isEqualTo(200);
    assertThat(get(client, "/api/runs", user).body()).startsWith("[");
    assertThat(get(client, "/", user).body()).contains("memoscope");
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefused() {
    HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> get(untrusting, "/healthz", null))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aBindBeyondLoopbackNeedsAPasswordOrInsecure() {
    HttpSecurity open = HttpSecurity.NONE;

    assertThatThrownBy(() -> open.checkBind("0.0.0.0", false))
        .hasMessageStartingWith(
            "--bind 0.0.0.0 serves every run's metrics and history beyond this machine without a"
                + " password: set basic auth");
    open.checkBind("127.0.0.1", false);
    open.checkBind("localhost", false);
    open.checkBind("0.0.0.0", true);
    HttpSecurity.load(
            Optional.empty(),
            Map.of(HttpSecurity.USERNAME_ENV, "p", HttpSecurity.PASSWORD_ENV, PASSWORD))
        .checkBind("0.0.0.0", false);
  }

  @Test
  void incompleteSettingsAreRefusedAndPasswordsAreNeverShown() {
    assertThatThrownBy(
            () -> HttpSecurity.load(Optional.empty(), Map.of(HttpSecurity.USERNAME_ENV, "p")))
        .hasMessageContaining("basic auth needs both a user name and a password");
    assertThatThrownBy(
            () -> HttpSecurity.load(Optional.empty(), Map.of(HttpSecurity.KEYSTORE_ENV, "k.p12")))
        .hasMessageContaining("the TLS keystore k.p12 needs its password");
    HttpSecurity security =
        HttpSecurity.load(
            Optional.empty(),
            Map.of(
                HttpSecurity.USERNAME_ENV,
                "p",
                HttpSecurity.PASSWORD_ENV,
                PASSWORD,
                HttpSecurity.KEYSTORE_ENV,
                "k.p12",
                HttpSecurity.KEYSTORE_PASSWORD_ENV,
                PASSWORD));
    assertThat(security.toString()).doesNotContain(PASSWORD);
  }

  private static HttpResponse<String> get(HttpClient client, String path, String credentials)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(10));
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A client that trusts the test CA, as Prometheus' tls_config ca_file would. */
  private static HttpClient trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.truststore())) {
      trust.load(in, tls.password().toCharArray());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
