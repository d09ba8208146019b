package io.memoscope.protocol.serde;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * What a memoscope serializer or deserializer can be configured with, read from the map Kafka
 * passes to {@code configure()}.
 *
 * <ul>
 *   <li>{@code memoscope.image.max.height} / {@code .width} / {@code .channels}: largest image
 *       accepted (default 4096 x 4096 x 4), see {@link ImageLimits};
 *   <li>{@value #VERIFY_RANDOM_LABELS_CONFIG}: recompute every random label of an ImageSample and
 *       reject a record whose labels differ (default true);
 *   <li>{@value #EXTRA_SCHEMAS_CONFIG}: comma-separated {@code .avsc} files or directories of
 *       writer schemas to accept besides the shipped ones (default none).
 * </ul>
 */
public record SerdeSettings(
    ImageLimits imageLimits, boolean verifyRandomLabels, List<Path> extraSchemas) {

  public static final String VERIFY_RANDOM_LABELS_CONFIG = "memoscope.labels.verify";
  public static final String EXTRA_SCHEMAS_CONFIG = "memoscope.schemas.extra";

  public SerdeSettings {
    Objects.requireNonNull(imageLimits, "imageLimits");
    extraSchemas = List.copyOf(extraSchemas);
  }

  public static SerdeSettings defaults() {
    return new SerdeSettings(ImageLimits.DEFAULT, true, List.of());
  }

  /**
   * @throws ConfigException if a value is malformed
   */
  public static SerdeSettings fromConfig(Map<String, ?> configs) {
    try {
      return new SerdeSettings(
          ImageLimits.fromConfig(configs),
          ConfigValues.bool(configs, VERIFY_RANDOM_LABELS_CONFIG, true),
          ConfigValues.paths(configs, EXTRA_SCHEMAS_CONFIG));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * A new catalog of the shipped schemas plus the extra ones.
   *
   * @throws ConfigException if an extra schema path is missing or not a valid schema
   */
  public SchemaCatalog newCatalog() {
    try {
      return SchemaCatalog.shipped().addAll(extraSchemas);
    } catch (RuntimeException e) {
      throw new ConfigException(EXTRA_SCHEMAS_CONFIG, extraSchemas, e.getMessage());
    }
  }
}
