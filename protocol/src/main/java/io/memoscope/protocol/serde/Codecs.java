package io.memoscope.protocol.serde;

import io.memoscope.protocol.avro.DatasetInfo;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.avro.SampleEvaluation;
import io.memoscope.protocol.avro.TrainingEvent;

/**
 * The codec of each memoscope record with its validator, for use outside Kafka clients too (for
 * example to store a run manifest next to the checkpoints). Each call returns a new codec with its
 * own schema catalog.
 */
public final class Codecs {

  private Codecs() {}

  public static SingleObjectCodec<ImageSample> imageSample(SerdeSettings settings) {
    return SingleObjectCodec.forClass(
        ImageSample.class,
        settings.newCatalog(),
        new ImageSampleValidator(settings.imageLimits(), settings.verifyRandomLabels()));
  }

  public static SingleObjectCodec<DatasetInfo> datasetInfo(SerdeSettings settings) {
    return SingleObjectCodec.forClass(
        DatasetInfo.class, settings.newCatalog(), new DatasetInfoValidator(settings.imageLimits()));
  }

  public static SingleObjectCodec<TrainingEvent> trainingEvent(SerdeSettings settings) {
    return SingleObjectCodec.forClass(
        TrainingEvent.class, settings.newCatalog(), new TrainingEventValidator());
  }

  public static SingleObjectCodec<SampleEvaluation> sampleEvaluation(SerdeSettings settings) {
    return SingleObjectCodec.forClass(
        SampleEvaluation.class, settings.newCatalog(), new SampleEvaluationValidator());
  }

  public static SingleObjectCodec<RunManifest> runManifest(SerdeSettings settings) {
    return SingleObjectCodec.forClass(
        RunManifest.class, settings.newCatalog(), new RunManifestValidator());
  }
}
