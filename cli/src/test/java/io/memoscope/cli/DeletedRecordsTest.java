package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.broker.EmbeddedKafkaExtension;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.kafka.TopicAdmin;
import io.memoscope.protocol.kafka.TopicSettings;
import io.memoscope.protocol.kafka.TopicSpecs;
import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.stream.RunManifests;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run resumed or replayed after its records were deleted fails naming the partition, instead of
 * training on other data.
 */
class DeletedRecordsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension static final EmbeddedKafkaExtension broker = new EmbeddedKafkaExtension();

  @Test
  void aManifestWhoseRecordsWereDeletedIsRefused() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (Split split : Split.values()) {
        TopicAdmin.ensure(
            admin, TopicSpecs.samples("gone", split, 1), TopicSettings.DEFAULTS, TIMEOUT);
      }
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("samples.gone.train", new byte[] {(byte) i})).get();
      }
      RunManifest manifest =
          RunManifests.capture(
              admin, "before", "gone", TrainingConfig.defaults(), "test", Map.of(), TIMEOUT);
      assertThatCode(() -> RunManifests.requireStored(admin, manifest, TIMEOUT))
          .doesNotThrowAnyException();

      admin
          .deleteRecords(
              Map.of(new TopicPartition("samples.gone.train", 0), RecordsToDelete.beforeOffset(5)))
          .all()
          .get();

      assertThatThrownBy(() -> RunManifests.requireStored(admin, manifest, TIMEOUT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "samples.gone.train-0: run before trained on offsets 0 to 10, but the partition now holds offsets"
                  + " 5 to 10 (deleted by a retention or recreated): the run cannot be trained again on the same data");
    }
  }
}
