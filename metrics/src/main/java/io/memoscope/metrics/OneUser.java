package io.memoscope.metrics;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * HTTP basic auth for the one user of {@link HttpSecurity.BasicAuth}. Compared in constant time, so
 * the answer's timing tells nothing of how much of a guess was right.
 */
final class OneUser extends BasicAuthenticator {

  private final byte[] username;
  private final byte[] password;

  OneUser(HttpSecurity.BasicAuth auth) {
    super("memoscope");
    this.username = auth.username().getBytes(StandardCharsets.UTF_8);
    this.password = auth.password().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean checkCredentials(String user, String pass) {
    boolean userRight = MessageDigest.isEqual(username, bytes(user));
    boolean passwordRight = MessageDigest.isEqual(password, bytes(pass));
    return userRight & passwordRight;
  }

  private static byte[] bytes(String text) {
    return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
  }
}
