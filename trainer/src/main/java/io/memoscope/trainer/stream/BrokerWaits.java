package io.memoscope.trainer.stream;

/**
 * Hears when reading stalls because the broker cannot be reached, and when it recovers: the run
 * says so on the terminal and in its events, and goes on where it was.
 */
public interface BrokerWaits {

  BrokerWaits NONE = new BrokerWaits() {};

  /**
   * @param attempt 1 for the first retry of this outage
   */
  default void waiting(String what, int attempt, Throwable cause) {}

  default void recovered(String what, int attempts) {}
}
