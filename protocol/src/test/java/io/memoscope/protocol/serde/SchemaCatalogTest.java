package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.ImageSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCatalogTest {

  @Test
  void addsEveryAvscFileOfADirectory() {
    SchemaCatalog catalog = SchemaCatalog.empty().addAll(EvolutionTest.resourceDir("/evolution"));

    Schema imageSampleV2 = EvolutionTest.parse("/evolution/ImageSample-2.avsc");
    Schema trainingEventV2 = EvolutionTest.parse("/evolution/TrainingEvent-2.avsc");
    assertThat(catalog.findByFingerprint(SchemaCatalog.fingerprint(imageSampleV2)))
        .isEqualTo(imageSampleV2);
    assertThat(catalog.findByFingerprint(SchemaCatalog.fingerprint(trainingEventV2)))
        .isEqualTo(trainingEventV2);
    assertThat(catalog.versionsOf(ImageSample.getClassSchema().getFullName()))
        .containsExactly(imageSampleV2);
  }

  @Test
  void addsASingleFileAndIgnoresOtherFilesInDirectories(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ImageSample-2.avsc");
    Files.copy(EvolutionTest.resourceDir("/evolution").resolve("ImageSample-2.avsc"), file);
    Files.writeString(dir.resolve("README.txt"), "not a schema");

    assertThat(
            SchemaCatalog.empty().addAll(file).versionsOf("io.memoscope.protocol.avro.ImageSample"))
        .hasSize(1);
    assertThat(
            SchemaCatalog.empty().addAll(dir).versionsOf("io.memoscope.protocol.avro.ImageSample"))
        .hasSize(1);
  }

  @Test
  void rejectsMissingPathsAndInvalidSchemas(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("Broken.avsc");
    Files.writeString(
        broken,
        "{\"type\": \"record\", \"name\": \"Broken\", \"fields\": [{\"name\": \"x\", \"type\": \"nope\"}]}");

    assertThatThrownBy(() -> SchemaCatalog.empty().addAll(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither a file nor a directory");
    assertThatThrownBy(() -> SchemaCatalog.empty().addAll(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid Avro schema in " + broken);
  }

  @Test
  void unknownFingerprintIsNull() {
    assertThat(SchemaCatalog.shipped().findByFingerprint(0L)).isNull();
  }
}
