package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.protocol.avro.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The synthetic data set: every sample is a pure function of (seed, split, index). */
final class SyntheticDataset implements OpenedDataset {

  private final SyntheticOptions options;
  private final SyntheticRenderer renderer;
  private final List<String> classNames;

  SyntheticDataset(SyntheticOptions options) {
    this.options = options;
    List<SyntheticPrototype> prototypes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int label = 0; label < options.classes(); label++) {
      prototypes.add(SyntheticPrototype.of(options.seed(), label));
      names.add("class-" + label);
    }
    this.renderer = new SyntheticRenderer(options.shape(), prototypes);
    this.classNames = List.copyOf(names);
  }

  @Override
  public ImageShape shape() {
    return options.shape();
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public long count(Split split) {
    return options.count(split);
  }

  @Override
  public void read(Split split, SampleSink sink) {
    long count = count(split);
    for (long index = 0; index < count; index++) {
      if (!sink.accept(sample(split, index))) {
        return;
      }
    }
  }

  RawSample sample(Split split, long index) {
    int label = label(split, index);
    SplittableRandom random =
        SyntheticHash.random(options.seed(), SyntheticHash.SAMPLE, SyntheticHash.tag(split), index);
    return new RawSample(index, label, renderer.render(label, random));
  }

  /**
   * Each run of {@code classes} consecutive indices holds every class once, in an order shuffled
   * per run: the classes stay balanced to within one sample at any count, and the label sequence
   * has no period a network could pick up.
   */
  int label(Split split, long index) {
    int classes = options.classes();
    long run = index / classes;
    int position = (int) (index % classes);
    SplittableRandom random =
        SyntheticHash.random(options.seed(), SyntheticHash.LABEL, SyntheticHash.tag(split), run);
    int[] order = new int[classes];
    for (int i = 0; i < classes; i++) {
      order[i] = i;
    }
    for (int i = classes - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order[position];
  }

  @Override
  public void close() {
    // Nothing is held: samples are computed, not read.
  }
}
