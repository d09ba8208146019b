package io.memoscope.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finding and checking TCP ports before Kafka binds them. */
final class Ports {

  private Ports() {}

  /** A port that was free on {@code host} a moment ago; another process may still take it. */
  static int pickFree(String host) {
    try (ServerSocket socket = bind(host, 0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new EmbeddedKafkaException("Found no free port on " + host + ": " + e.getMessage(), e);
    }
  }

  /** Fails with a message naming the port if something already listens on it. */
  static void requireFree(String host, int port) {
    try (ServerSocket ignored = bind(host, port)) {
      // Bound and released: free.
    } catch (IOException e) {
      throw new EmbeddedKafkaException(
          "Port "
              + port
              + " on "
              + host
              + " is already in use ("
              + e.getMessage()
              + "); stop whatever listens there or choose another port (0 picks a free one)",
          e);
    }
  }

  private static ServerSocket bind(String host, int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new EmbeddedKafkaException("Cannot resolve host " + host);
    }
    ServerSocket socket = new ServerSocket();
    // Kafka binds with SO_REUSEADDR too, so a port held only by TIME_WAIT sockets counts as free.
    socket.setReuseAddress(true);
    try {
      socket.bind(address);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }
}
