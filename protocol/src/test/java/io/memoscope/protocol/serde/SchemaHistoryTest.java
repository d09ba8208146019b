package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.avro.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guards the wire contract: history resources, pinned fingerprints, compatibility, documentation.
 */
class SchemaHistoryTest {

  private static final Map<String, Schema> CURRENT =
      Map.of(
          "ImageSample", ImageSample.getClassSchema(),
          "DatasetInfo", DatasetInfo.getClassSchema(),
          "TrainingEvent", TrainingEvent.getClassSchema(),
          "RunManifest", RunManifest.getClassSchema(),
          "SampleEvaluation", SampleEvaluation.getClassSchema());

  @Test
  void latestHistoryVersionIsTheCompiledSchema() {
    for (String record : SchemaHistory.RECORDS) {
      List<Schema> versions = SchemaHistory.versions(record);
      Schema latest = versions.get(versions.size() - 1);
      assertThat(SchemaNormalization.toParsingForm(latest))
          .as(
              "%s changed: copy src/main/avro/%s.avsc to the history as %s-%d.avsc",
              record, record, record, versions.size() + 1)
          .isEqualTo(SchemaNormalization.toParsingForm(CURRENT.get(record)));
    }
  }

  /**
   * Version 1 fingerprints as the 8 header bytes, computed independently in Python (Parsing
   * Canonical Form + CRC-64-AVRO from the Avro specification) and listed in docs/schema.md. History
   * files never change, so neither do these.
   */
  @ParameterizedTest
  @CsvSource({
    "ImageSample, 5F1EE3D90C63A50D",
    "DatasetInfo, 4AE95EF6A6E98743",
    "TrainingEvent, E03E8EE462193F0B",
    "RunManifest, 5D6B37B53071277B"
  })
  void version1FingerprintsArePinned(String record, String headerBytes) {
    assertThat(
            SingleObjectCodec.hex(SchemaCatalog.fingerprint(SchemaHistory.versions(record).get(0))))
        .isEqualTo(headerBytes);
  }

  /** Later versions' fingerprints, computed by Java and listed in docs/schema.md's table. */
  @ParameterizedTest
  @CsvSource({
    "TrainingEvent, 2, 4B09C93D7A3B33DA",
    "TrainingEvent, 3, ADC89EDFA800BBAF",
    "RunManifest, 2, 8CB20E58DDE1B780",
    "SampleEvaluation, 1, 149315E09ABCE365",
    "SampleEvaluation, 2, 33A3AF29C2501696"
  })
  void laterFingerprintsArePinned(String record, int version, String headerBytes) {
    assertThat(
            SingleObjectCodec.hex(
                SchemaCatalog.fingerprint(SchemaHistory.versions(record).get(version - 1))))
        .isEqualTo(headerBytes);
  }

  @Test
  void everyVersionIsReadableByTheCurrentReaderAndTheOtherWayRound() {
    for (String record : SchemaHistory.RECORDS) {
      Schema current = CURRENT.get(record);
      for (Schema old : SchemaHistory.versions(record)) {
        assertThat(compatibility(current, old))
            .as("current %s reads history", record)
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(compatibility(old, current))
            .as("history %s reads current", record)
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      }
    }
  }

  @Test
  void shippedCatalogKnowsEveryVersion() {
    SchemaCatalog catalog = SchemaCatalog.shipped();
    for (Schema schema : SchemaHistory.all()) {
      assertThat(catalog.findByFingerprint(SchemaCatalog.fingerprint(schema))).isNotNull();
    }
  }

  @Test
  void everyRecordEnumAndFieldIsDocumented() {
    List<String> undocumented = new ArrayList<>();
    CURRENT.values().forEach(schema -> collectUndocumented(schema, undocumented));
    assertThat(undocumented).isEmpty();
  }

  private static void collectUndocumented(Schema schema, List<String> undocumented) {
    switch (schema.getType()) {
      case RECORD -> {
        if (isBlank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            undocumented.add(schema.getName() + "." + field.name());
          }
          collectUndocumented(field.schema(), undocumented);
        }
      }
      case ENUM -> {
        if (isBlank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
      }
      case ARRAY -> collectUndocumented(schema.getElementType(), undocumented);
      case MAP -> collectUndocumented(schema.getValueType(), undocumented);
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, undocumented));
      default -> {}
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
  }
}
