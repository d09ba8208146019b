package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceOptions;
import java.util.Set;

/**
 * Generated class-conditional images, for tests and for the demo when no real data set is at hand.
 * Classes are learnable but not trivial: a small CNN separates them well, a nearest-mean classifier
 * on raw pixels clearly does not (see {@link SyntheticPrototype}).
 *
 * <p>Options: {@code classes} (10), {@code height} (28), {@code width} (28), {@code channels} (1 or
 * 3; 1), {@code count} (train samples, 6000), {@code test-count} (count/6 rounded up), {@code seed}
 * (42). The same options give the same bytes on every machine, in any read order.
 */
public final class SyntheticSource implements SampleSource {

  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public String description() {
    return "seeded generated images of learnable classes (gratings and blobs under shift, noise, occlusion)";
  }

  @Override
  public Set<String> options() {
    return Set.of(
        SyntheticOptions.CLASSES,
        SyntheticOptions.HEIGHT,
        SyntheticOptions.WIDTH,
        SyntheticOptions.CHANNELS,
        SyntheticOptions.COUNT,
        SyntheticOptions.TEST_COUNT,
        SyntheticOptions.SEED);
  }

  @Override
  public OpenedDataset open(SourceOptions options) {
    return new SyntheticDataset(SyntheticOptions.parse(options));
  }
}
