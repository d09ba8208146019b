package io.memoscope.protocol.config;

/**
 * A configuration problem a user must fix; the message is one line naming the source and the fault.
 */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
