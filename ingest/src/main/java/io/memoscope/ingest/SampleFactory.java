package io.memoscope.ingest;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.protocol.avro.ImageSample;
import io.memoscope.protocol.avro.Split;
import io.memoscope.protocol.labels.RandomLabels;
import java.nio.ByteBuffer;

/**
 * Turns what a source read into the record on the topic: the same image, its class, and its
 * random labels from the protocol's pure function, so a re-ingest writes identical bytes.
 */
final class SampleFactory {

  private final IngestConfig config;
  private final ImageShape shape;
  private final int numClasses;

  SampleFactory(IngestConfig config, ImageShape shape, int numClasses) {
    this.config = config;
    this.shape = shape;
    this.numClasses = numClasses;
  }

  /** @param index the sample's index on the topic (the source's index, shifted when appending) */
  ImageSample create(Split split, long index, RawSample raw) {
    return ImageSample.newBuilder()
        .setDataset(config.dataset())
        .setSplit(split)
        .setIndex(index)
        .setHeight(shape.height())
        .setWidth(shape.width())
        .setChannels(shape.channels())
        .setPixels(ByteBuffer.wrap(raw.pixels()))
        .setLabel(raw.label())
        .setNumClasses(numClasses)
        .setRandomLabels(RandomLabels.labels(config.seed(), config.dataset(), split, index, config.labelings(),
            config.randomClasses()))
        .setRandomClasses(config.randomClasses())
        .setLabelSeed(config.seed())
        .build();
  }
}
