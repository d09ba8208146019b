package io.memoscope.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away TLS set-up for tests and trials: a certificate authority and a broker certificate
 * signed by it for {@code localhost} and {@code 127.0.0.1}, valid for {@value #VALIDITY_DAYS} days,
 * made with the JDK's {@code keytool}. Not for production.
 *
 * @param keystore the broker's PKCS12 keystore: its key, its certificate and the CA's
 * @param truststore a PKCS12 truststore holding the CA's certificate, for clients
 * @param password the password of both stores (and of the broker's key)
 */
public record TlsMaterial(Path keystore, Path truststore, String password) {

  public static final String STORE_TYPE = "PKCS12";
  public static final int VALIDITY_DAYS = 7;
  public static final String KEYSTORE_FILE = "broker.keystore.p12";
  public static final String TRUSTSTORE_FILE = "truststore.p12";
  public static final String CA_CERTIFICATE_FILE = "ca.crt";

  private static final String PASSWORD_ENV = "MEMOSCOPE_TLS_PASSWORD";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  public TlsMaterial {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(password, "password");
  }

  /**
   * Writes {@value #KEYSTORE_FILE}, {@value #TRUSTSTORE_FILE} and {@value #CA_CERTIFICATE_FILE}
   * (PEM) into {@code dir}, creating it, with a new random password. The CA's private key is thrown
   * away.
   *
   * @throws EmbeddedKafkaException if keytool is missing or fails, or a file exists already
   */
  public static TlsMaterial generate(Path dir) {
    Path absolute = dir.toAbsolutePath();
    Path keystore = absolute.resolve(KEYSTORE_FILE);
    Path truststore = absolute.resolve(TRUSTSTORE_FILE);
    Path caCertificate = absolute.resolve(CA_CERTIFICATE_FILE);
    Path work;
    try {
      Files.createDirectories(absolute);
      for (Path file : List.of(keystore, truststore, caCertificate)) {
        if (Files.exists(file)) {
          throw new EmbeddedKafkaException(
              "Not overwriting " + file + "; generate the TLS material into an empty directory");
        }
      }
      work = Files.createTempDirectory(absolute, "keytool-");
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Cannot create the TLS directory " + absolute + ": " + e.getMessage(), e);
    }
    String password = randomSecret();
    Keytool keytool = new Keytool(password);
    Path ca = work.resolve("ca.p12");
    Path request = work.resolve("broker.csr");
    Path signed = work.resolve("broker.crt");
    String validity = String.valueOf(VALIDITY_DAYS);
    try {
      keytool.run(
          "-genkeypair",
          "-keystore",
          ca,
          "-alias",
          "ca",
          "-dname",
          "CN=memoscope test CA",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-validity",
          validity,
          "-ext",
          "bc:c");
      keytool.run("-exportcert", "-keystore", ca, "-alias", "ca", "-rfc", "-file", caCertificate);
      keytool.run(
          "-genkeypair",
          "-keystore",
          keystore,
          "-alias",
          "broker",
          "-dname",
          "CN=localhost",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-validity",
          validity);
      keytool.run("-certreq", "-keystore", keystore, "-alias", "broker", "-file", request);
      keytool.run(
          "-gencert",
          "-keystore",
          ca,
          "-alias",
          "ca",
          "-infile",
          request,
          "-outfile",
          signed,
          "-rfc",
          "-validity",
          validity,
          "-ext",
          "san=dns:localhost,ip:127.0.0.1");
      keytool.run(
          "-importcert",
          "-keystore",
          keystore,
          "-alias",
          "ca",
          "-file",
          caCertificate,
          "-noprompt");
      keytool.run("-importcert", "-keystore", keystore, "-alias", "broker", "-file", signed);
      keytool.run(
          "-importcert",
          "-keystore",
          truststore,
          "-alias",
          "ca",
          "-file",
          caCertificate,
          "-noprompt");
    } finally {
      deleteQuietly(work);
    }
    return new TlsMaterial(keystore, truststore, password);
  }

  /** The {@code ssl.truststore.*} properties a client needs to trust the broker. */
  public Map<String, Object> clientTrustProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put("ssl.truststore.location", truststore.toString());
    props.put("ssl.truststore.password", password);
    props.put("ssl.truststore.type", STORE_TYPE);
    return props;
  }

  /** The {@code ssl.keystore.*} properties of a broker listener, each prefixed. */
  Map<String, String> brokerKeystoreProperties(String prefix) {
    return Map.of(
        prefix + "ssl.keystore.location", keystore.toString(),
        prefix + "ssl.keystore.password", password,
        prefix + "ssl.keystore.type", STORE_TYPE,
        prefix + "ssl.key.password", password);
  }

  /** Without the password. */
  @Override
  public String toString() {
    return "TlsMaterial[keystore " + keystore + ", truststore " + truststore + "]";
  }

  /** 32 random characters from {@code [A-Za-z0-9_-]}: safe inside quotes of a JAAS line. */
  static String randomSecret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void deleteQuietly(Path dir) {
    try {
      org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(TlsMaterial.class).warn("Could not delete {}", dir, e);
    }
  }

  /** Runs the JDK's keytool with the store password passed in the environment. */
  private record Keytool(String password) {

    void run(Object... args) {
      Path executable =
          Path.of(System.getProperty("java.home"), "bin", isWindows() ? "keytool.exe" : "keytool");
      if (!Files.isExecutable(executable)) {
        throw new EmbeddedKafkaException(
            "Cannot generate TLS material: no keytool at " + executable + " (a JRE without it?)");
      }
      List<String> command = new ArrayList<>();
      command.add(executable.toString());
      for (Object arg : args) {
        command.add(arg.toString());
      }
      // In a PKCS12 store the key's password is the store's.
      command.addAll(List.of("-storetype", STORE_TYPE, "-storepass:env", PASSWORD_ENV));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put(PASSWORD_ENV, password);
      String step = args[0].toString();
      try {
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new EmbeddedKafkaException(
              "keytool " + step + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          throw new EmbeddedKafkaException(
              "keytool "
                  + step
                  + " failed (exit "
                  + process.exitValue()
                  + "): "
                  + new String(output, StandardCharsets.UTF_8).strip().replace('\n', ' '));
        }
      } catch (IOException e) {
        throw new EmbeddedKafkaException(
            "Cannot run " + executable + " " + step + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedKafkaException("Interrupted while running keytool " + step, e);
      }
    }

    private static boolean isWindows() {
      return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
    }
  }
}
