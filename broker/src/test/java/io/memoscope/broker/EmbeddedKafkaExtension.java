package io.memoscope.broker;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker for a test class, started before its first test and closed after its last:
 *
 * <pre>{@literal @}RegisterExtension
 * static final EmbeddedKafkaExtension broker = new EmbeddedKafkaExtension();
 * … broker.bootstrapServers() …</pre>
 *
 * Shipped in the broker's test jar, so every module's tests share this one fixture.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

  private final EmbeddedKafkaConfig config;
  private EmbeddedKafka kafka;

  public EmbeddedKafkaExtension() {
    this(EmbeddedKafkaConfig.defaults());
  }

  public EmbeddedKafkaExtension(EmbeddedKafkaConfig config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka = new EmbeddedKafka(config).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kafka.close();
  }

  public EmbeddedKafka kafka() {
    if (kafka == null) {
      throw new IllegalStateException(
          "the broker starts before the first test; register the extension on a static field");
    }
    return kafka;
  }

  public String bootstrapServers() {
    return kafka().bootstrapServers();
  }
}
