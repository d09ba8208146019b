package io.memoscope.metrics;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An HTTPS server with the key and certificate of a keystore. */
final class HttpsServers {

  private HttpsServers() {}

  /**
   * @throws IllegalArgumentException naming the keystore when it cannot be read or used
   */
  static HttpsServer create(InetSocketAddress address, HttpSecurity.Keystore keystore)
      throws IOException {
    SSLContext ssl;
    try (InputStream in = Files.newInputStream(keystore.path())) {
      KeyStore store = KeyStore.getInstance(keystore.type());
      char[] password = keystore.password().toCharArray();
      store.load(in, password);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      ssl = SSLContext.getInstance("TLS");
      ssl.init(keys.getKeyManagers(), null, null);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS keystore " + keystore.path() + ": " + e.getMessage(), e);
    }
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    return server;
  }
}
