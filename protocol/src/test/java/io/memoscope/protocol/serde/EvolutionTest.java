package io.memoscope.protocol.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.protocol.avro.EventKind;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.avro.TrainingEvent;
import io.memoscope.protocol.serde.InvalidRecordException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution both ways, with a simulated version 2 of ImageSample and TrainingEvent (test
 * resources under evolution/) that each add an optional field; TrainingEvent v2 also adds an event
 * kind. "Old" code is the production code of this module (it knows version 1); "new" code is
 * simulated with generic records of the version 2 schemas, encoded by Avro's own encoder.
 */
class EvolutionTest {

  private static final String TOPIC = "t";
  private static final Schema IMAGE_SAMPLE_V2 = parse("/evolution/ImageSample-2.avsc");
  private static final Schema TRAINING_EVENT_V2 = parse("/evolution/TrainingEvent-2.avsc");

  @Test
  void newReaderReadsOldWriterAndTheAddedFieldTakesItsDefault() {
    ImageSample sample = Records.imageSample();
    byte[] oldBytes = new ImageSampleSerializer().serialize(TOPIC, sample);
    SingleObjectCodec<GenericRecord> newReader =
        SingleObjectCodec.generic(IMAGE_SAMPLE_V2, SchemaCatalog.shipped(), RecordValidator.none());

    GenericRecord read = newReader.decode(oldBytes);

    assertThat(read.get("source")).isNull();
    assertThat(read.get("dataset")).hasToString(sample.getDataset());
    assertThat(read.get("split")).hasToString(sample.getSplit().name());
    assertThat(read.get("index")).isEqualTo(sample.getIndex());
    assertThat(read.get("height")).isEqualTo(sample.getHeight());
    assertThat(read.get("width")).isEqualTo(sample.getWidth());
    assertThat(read.get("channels")).isEqualTo(sample.getChannels());
    assertThat(read.get("pixels")).isEqualTo(sample.getPixels());
    assertThat(read.get("label")).isEqualTo(sample.getLabel());
    assertThat(read.get("numClasses")).isEqualTo(sample.getNumClasses());
    assertThat(read.get("randomLabels"))
        .asList()
        .containsExactlyElementsOf(sample.getRandomLabels());
    assertThat(read.get("randomClasses")).isEqualTo(sample.getRandomClasses());
    assertThat(read.get("labelSeed")).isEqualTo(sample.getLabelSeed());
  }

  @Test
  void oldReaderRejectsNewWriterUntilToldItsSchema() {
    byte[] newBytes = encodeV2ImageSample("scanner-7");

    assertThatThrownBy(() -> new ImageSampleDeserializer().deserialize(TOPIC, newBytes))
        .isInstanceOfSatisfying(
            InvalidRecordException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA))
        .hasMessageContaining(
            "unknown writer schema fingerprint "
                + SingleObjectCodec.hex(SchemaCatalog.fingerprint(IMAGE_SAMPLE_V2)))
        .hasMessageContaining(SerdeSettings.EXTRA_SCHEMAS_CONFIG);
  }

  @Test
  void oldReaderToldTheNewSchemaByConfigReadsNewWriterAndIgnoresTheAddedField() {
    ImageSampleDeserializer oldReader = new ImageSampleDeserializer();
    oldReader.configure(
        Map.of(SerdeSettings.EXTRA_SCHEMAS_CONFIG, resourceDir("/evolution").toString()), false);

    ImageSample read = oldReader.deserialize(TOPIC, encodeV2ImageSample("scanner-7"));

    assertThat(read).isEqualTo(Records.imageSample());
  }

  @Test
  void oldReaderToldTheNewSchemaByApiReadsNewWriter() {
    ImageSampleDeserializer oldReader = new ImageSampleDeserializer();
    oldReader.addWriterSchema(IMAGE_SAMPLE_V2);

    assertThat(oldReader.deserialize(TOPIC, encodeV2ImageSample(null)))
        .isEqualTo(Records.imageSample());
  }

  @Test
  void oldReaderSeesAnEventKindAddedLaterAsUnknown() {
    TrainingEvent event = Records.trainingEvent();
    GenericRecord v2 =
        new GenericRecordBuilder(TRAINING_EVENT_V2)
            .set("runId", event.getRunId())
            .set("sequence", event.getSequence())
            .set("timestamp", event.getTimestamp().toEpochMilli())
            .set(
                "kind",
                new GenericData.EnumSymbol(
                    TRAINING_EVENT_V2.getField("kind").schema(), "LR_CHANGED"))
            .set("epoch", event.getEpoch())
            .set("step", event.getStep())
            .set("metrics", Map.of("lr", 0.01))
            .set("labels", Map.of())
            .set("host", "gpu-3")
            .build();
    TrainingEventDeserializer oldReader = new TrainingEventDeserializer();
    oldReader.addWriterSchema(TRAINING_EVENT_V2);

    TrainingEvent read = oldReader.deserialize(TOPIC, encode(TRAINING_EVENT_V2, v2));

    assertThat(read.getKind()).isEqualTo(EventKind.UNKNOWN);
    assertThat(read.getRunId()).isEqualTo(event.getRunId());
    assertThat(read.getSequence()).isEqualTo(event.getSequence());
    assertThat(read.getTimestamp()).isEqualTo(event.getTimestamp());
    assertThat(read.getMetrics()).containsExactly(Map.entry("lr", 0.01));
    assertThat(read.getMessage()).isNull();
  }

  /**
   * The shipped version 3 added DIVERGED: a reader of version 2 (a metrics service built before it,
   * told of version 3) sees the kind as UNKNOWN and the rest of the event as it was.
   */
  @Test
  void aVersion2ReaderSeesADivergedEventAsUnknown() {
    TrainingEvent event =
        TrainingEvent.newBuilder(Records.trainingEvent())
            .setKind(EventKind.DIVERGED)
            .setLabels(Map.of("term", "class"))
            .build();
    Schema version2 = SchemaHistory.versions("TrainingEvent").get(1);
    SingleObjectCodec<GenericRecord> version2Reader =
        SingleObjectCodec.generic(version2, SchemaCatalog.shipped(), RecordValidator.none());

    GenericRecord read =
        version2Reader.decode(new TrainingEventSerializer().serialize(TOPIC, event));

    assertThat(read.get("kind")).hasToString("UNKNOWN");
    assertThat(read.get("step")).isEqualTo(event.getStep());
    assertThat(read.get("labels")).asString().contains("term");
  }

  /**
   * Version 2 of RunManifest added the run's environment: a manifest written before it (a run to
   * resume or replay) reads back with the same fields and an empty environment.
   */
  @Test
  void aVersion1ManifestReadsBackWithAnEmptyEnvironment() {
    RunManifest manifest = Records.runManifest();
    Schema version1 = SchemaHistory.versions("RunManifest").get(0);
    Schema.Field topics = version1.getField("topics");
    GenericRecord old =
        writtenBy(
            version1,
            manifest,
            Map.of(
                "topics",
                manifest.getTopics().stream()
                    .map(range -> writtenBy(topics.schema().getElementType(), range, Map.of()))
                    .toList(),
                "createdAt",
                manifest.getCreatedAt().toEpochMilli()));

    RunManifest read = Codecs.runManifest(SerdeSettings.defaults()).decode(encode(version1, old));

    assertThat(read.getEnvironment()).isEmpty();
    assertThat(RunManifest.newBuilder(read).setEnvironment(manifest.getEnvironment()).build())
        .isEqualTo(manifest);
  }

  /**
   * Version 2 of SampleEvaluation added the probe's per-sample hits: a record written before it
   * reads back with no probes and no probed samples.
   */
  @Test
  void aVersion1SampleEvaluationReadsBackWithoutProbes() {
    SampleEvaluation evaluation = SampleEvaluationValidatorTest.valid();
    Schema version1 = SchemaHistory.versions("SampleEvaluation").get(0);
    Schema.Field heads = version1.getField("heads");
    GenericRecord old =
        writtenBy(
            version1,
            evaluation,
            Map.of(
                "timestamp",
                evaluation.getTimestamp().toEpochMilli(),
                "heads",
                evaluation.getHeads().stream()
                    .map(head -> writtenBy(heads.schema().getElementType(), head, Map.of()))
                    .toList()));

    SampleEvaluation read =
        Codecs.sampleEvaluation(SerdeSettings.defaults()).decode(encode(version1, old));

    assertThat(read.getProbes()).isEmpty();
    assertThat(read.getProbeSamples()).isZero();
    assertThat(read).isEqualTo(evaluation);
  }

  @Test
  void newTrainingEventReaderReadsOldWriter() {
    TrainingEvent event = Records.trainingEvent();
    byte[] oldBytes = new TrainingEventSerializer().serialize(TOPIC, event);
    SingleObjectCodec<GenericRecord> newReader =
        SingleObjectCodec.generic(
            TRAINING_EVENT_V2, SchemaCatalog.shipped(), RecordValidator.none());

    GenericRecord read = newReader.decode(oldBytes);

    assertThat(read.get("host")).isNull();
    assertThat(read.get("kind")).hasToString("EVAL");
    assertThat(read.get("runId")).hasToString("run-1");
    assertThat(read.get("sequence")).isEqualTo(12L);
  }

  @Test
  void readerRejectsASplitItDoesNotKnowInsteadOfGuessing() {
    Schema withValidation = parse("/incompatible/ImageSample-validation-split.avsc");
    GenericRecord record = v2LikeRecord(withValidation, "validation");
    ImageSampleDeserializer reader = new ImageSampleDeserializer();
    reader.addWriterSchema(withValidation);

    assertThatThrownBy(() -> reader.deserialize(TOPIC, encode(withValidation, record)))
        .isInstanceOfSatisfying(
            InvalidRecordException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INCOMPATIBLE_SCHEMA))
        .hasMessageContaining("cannot read ImageSample");
  }

  @Test
  void readerRejectsAnIncompatibleChangeOfAFieldType() {
    Schema stringLabel = parse("/incompatible/ImageSample-string-label.avsc");
    GenericRecord record = v2LikeRecord(stringLabel, "train");
    record.put("label", "three");
    ImageSampleDeserializer reader = new ImageSampleDeserializer();
    reader.addWriterSchema(stringLabel);

    assertThatThrownBy(() -> reader.deserialize(TOPIC, encode(stringLabel, record)))
        .isInstanceOfSatisfying(
            InvalidRecordException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INCOMPATIBLE_SCHEMA));
  }

  private static byte[] encodeV2ImageSample(String source) {
    GenericRecord record = v2LikeRecord(IMAGE_SAMPLE_V2, "train");
    record.put("source", source);
    return encode(IMAGE_SAMPLE_V2, record);
  }

  /** Records.imageSample() as a generic record of another ImageSample schema. */
  private static GenericRecord v2LikeRecord(Schema schema, String split) {
    ImageSample sample = Records.imageSample();
    GenericRecordBuilder builder = new GenericRecordBuilder(schema);
    for (Schema.Field field : ImageSample.getClassSchema().getFields()) {
      builder.set(field.name(), sample.get(field.name()));
    }
    builder.set("split", new GenericData.EnumSymbol(schema.getField("split").schema(), split));
    return builder.build();
  }

  /**
   * {@code current} as an older version's writer would have written it: every field of {@code
   * version}, from {@code values} or else {@code current}'s field of the same name.
   */
  private static GenericRecord writtenBy(
      Schema version, SpecificRecord current, Map<String, Object> values) {
    GenericRecordBuilder old = new GenericRecordBuilder(version);
    for (Schema.Field field : version.getFields()) {
      old.set(
          field.name(),
          values.containsKey(field.name())
              ? values.get(field.name())
              : current.get(current.getSchema().getField(field.name()).pos()));
    }
    return old.build();
  }

  private static byte[] encode(Schema schema, GenericRecord record) {
    try {
      ByteBuffer buffer =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Schema parse(String resource) {
    try (InputStream in = EvolutionTest.class.getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path resourceDir(String resource) {
    try {
      return Path.of(EvolutionTest.class.getResource(resource).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
