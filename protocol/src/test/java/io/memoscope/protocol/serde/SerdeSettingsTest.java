package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SerdeSettingsTest {

  @Test
  void defaultsWhenNothingIsConfigured() {
    SerdeSettings settings =
        SerdeSettings.fromConfig(Map.of("bootstrap.servers", "localhost:9092"));

    assertThat(settings).isEqualTo(SerdeSettings.defaults());
    assertThat(settings.imageLimits()).isEqualTo(new ImageLimits(4096, 4096, 4));
    assertThat(settings.verifyRandomLabels()).isTrue();
    assertThat(settings.extraSchemas()).isEmpty();
  }

  @Test
  void readsStringsAndTypedValues() {
    SerdeSettings settings =
        SerdeSettings.fromConfig(
            Map.of(
                ImageLimits.MAX_HEIGHT_CONFIG,
                "64",
                ImageLimits.MAX_WIDTH_CONFIG,
                32,
                ImageLimits.MAX_CHANNELS_CONFIG,
                3L,
                SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG,
                false,
                SerdeSettings.EXTRA_SCHEMAS_CONFIG,
                "a.avsc, dir/"));

    assertThat(settings.imageLimits()).isEqualTo(new ImageLimits(64, 32, 3));
    assertThat(settings.verifyRandomLabels()).isFalse();
    assertThat(settings.extraSchemas()).containsExactly(Path.of("a.avsc"), Path.of("dir/"));
    assertThat(
            SerdeSettings.fromConfig(
                    Map.of(SerdeSettings.EXTRA_SCHEMAS_CONFIG, List.of("x", Path.of("y"))))
                .extraSchemas())
        .containsExactly(Path.of("x"), Path.of("y"));
  }

  @Test
  void rejectsMalformedValues() {
    assertThatThrownBy(() -> SerdeSettings.fromConfig(Map.of(ImageLimits.MAX_HEIGHT_CONFIG, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ImageLimits.MAX_HEIGHT_CONFIG);
    assertThatThrownBy(() -> SerdeSettings.fromConfig(Map.of(ImageLimits.MAX_WIDTH_CONFIG, "wide")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ImageLimits.MAX_WIDTH_CONFIG);
    assertThatThrownBy(
            () ->
                SerdeSettings.fromConfig(Map.of(SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG, "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SerdeSettings.VERIFY_RANDOM_LABELS_CONFIG);
  }

  @Test
  void aMissingExtraSchemaFailsAtConfigureTime() {
    ImageSampleDeserializer deserializer = new ImageSampleDeserializer();

    assertThatThrownBy(
            () ->
                deserializer.configure(
                    Map.of(SerdeSettings.EXTRA_SCHEMAS_CONFIG, "/no/such/dir"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SerdeSettings.EXTRA_SCHEMAS_CONFIG);
  }
}
