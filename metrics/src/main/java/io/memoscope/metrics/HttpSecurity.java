package io.memoscope.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Who may read the metrics service over HTTP, and over what: optional HTTP basic auth and optional
 * TLS, as Prometheus' scrape config supports them ({@code basic_auth}, {@code tls_config}). Read
 * from a properties file ({@code --http-config FILE}, keys {@value #USERNAME_KEY}, {@value
 * #PASSWORD_KEY}, {@value #KEYSTORE_KEY}, {@value #KEYSTORE_PASSWORD_KEY}, {@value
 * #KEYSTORE_TYPE_KEY}) or the environment ({@value #USERNAME_ENV}, {@value #PASSWORD_ENV}, {@value
 * #KEYSTORE_ENV}, {@value #KEYSTORE_PASSWORD_ENV}), the file winning.
 *
 * @param basicAuth the one user that may read, if any
 * @param tls the server's key and certificate, if it speaks HTTPS
 */
public record HttpSecurity(Optional<BasicAuth> basicAuth, Optional<Keystore> tls) {

  public static final String USERNAME_KEY = "basic-auth.username";
  public static final String PASSWORD_KEY = "basic-auth.password";
  public static final String KEYSTORE_KEY = "tls.keystore";
  public static final String KEYSTORE_PASSWORD_KEY = "tls.keystore-password";
  public static final String KEYSTORE_TYPE_KEY = "tls.keystore-type";
  public static final String USERNAME_ENV = "MEMOSCOPE_METRICS_USERNAME";
  public static final String PASSWORD_ENV = "MEMOSCOPE_METRICS_PASSWORD";
  public static final String KEYSTORE_ENV = "MEMOSCOPE_METRICS_KEYSTORE";
  public static final String KEYSTORE_PASSWORD_ENV = "MEMOSCOPE_METRICS_KEYSTORE_PASSWORD";

  /** Plain HTTP, no authentication: right for a loopback address. */
  public static final HttpSecurity NONE = new HttpSecurity(Optional.empty(), Optional.empty());

  /** A user name and password; {@link #toString} does not show the password. */
  public record BasicAuth(String username, String password) {
    public BasicAuth {
      if (username == null || username.isEmpty() || username.contains(":")) {
        throw new IllegalArgumentException("the basic-auth user name must be set, without ':'");
      }
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("the basic-auth password of " + username + " is empty");
      }
    }

    @Override
    public String toString() {
      return "BasicAuth[username=" + username + ", password=(hidden)]";
    }
  }

  /** A keystore holding the server's key and certificate; the password is not shown. */
  public record Keystore(Path path, String password, String type) {
    @Override
    public String toString() {
      return "Keystore[path=" + path + ", type=" + type + ", password=(hidden)]";
    }
  }

  /**
   * From {@code file} (if given) over {@code env}.
   *
   * @throws IllegalArgumentException naming the file or variable that is missing or wrong
   */
  public static HttpSecurity load(Optional<Path> file, Map<String, String> env) {
    Properties properties = new Properties();
    if (file.isPresent()) {
      try (InputStream in = Files.newInputStream(file.get())) {
        properties.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read the HTTP security file " + file.get() + ": " + e.getMessage(), e);
      }
    }
    String where = file.map(f -> "in " + f).orElse("in the environment");
    String username = value(properties, USERNAME_KEY, env, USERNAME_ENV);
    String password = value(properties, PASSWORD_KEY, env, PASSWORD_ENV);
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "basic auth needs both a user name and a password ("
              + USERNAME_KEY
              + "/"
              + PASSWORD_KEY
              + " or "
              + USERNAME_ENV
              + "/"
              + PASSWORD_ENV
              + "), "
              + where
              + " only one is set");
    }
    String keystore = value(properties, KEYSTORE_KEY, env, KEYSTORE_ENV);
    String keystorePassword = value(properties, KEYSTORE_PASSWORD_KEY, env, KEYSTORE_PASSWORD_ENV);
    if (keystore != null && keystorePassword == null) {
      throw new IllegalArgumentException(
          "the TLS keystore "
              + keystore
              + " needs its password ("
              + KEYSTORE_PASSWORD_KEY
              + " or "
              + KEYSTORE_PASSWORD_ENV
              + ")");
    }
    return new HttpSecurity(
        Optional.ofNullable(username).map(u -> new BasicAuth(u, password)),
        Optional.ofNullable(keystore)
            .map(
                k ->
                    new Keystore(
                        Path.of(k),
                        keystorePassword,
                        properties.getProperty(KEYSTORE_TYPE_KEY, "PKCS12").strip())));
  }

  /**
   * Refuses to serve every run's history beyond this machine without a password: a bind address
   * that is not loopback needs basic auth, unless the user said {@code insecure}.
   *
   * @throws IllegalArgumentException saying what to do
   */
  public void checkBind(String bind, boolean insecure) {
    if (basicAuth.isPresent() || insecure || isLoopback(bind)) {
      return;
    }
    throw new IllegalArgumentException(
        "--bind "
            + bind
            + " serves every run's metrics and history beyond this machine without a password:"
            + " set basic auth (--http-config FILE or "
            + USERNAME_ENV
            + "/"
            + PASSWORD_ENV
            + "), or say --insecure");
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String value(Properties file, String key, Map<String, String> env, String var) {
    String value = file.getProperty(key);
    if (value == null) {
      value = env.get(var);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }
}
