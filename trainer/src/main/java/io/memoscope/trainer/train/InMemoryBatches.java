package io.memoscope.trainer.train;

import io.memoscope.trainer.data.Augmenter;
import io.memoscope.trainer.data.Batch;
import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.data.SampleView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/** Batches from samples held in memory: a seeded permutation per epoch, augmented, assembled. */
public final class InMemoryBatches implements BatchSource {

  private final List<SampleView> samples;
  private final int batchSize;
  private final long seed;
  private final Augmenter augmenter;
  private final BatchAssembler assembler;

  public InMemoryBatches(
      List<SampleView> samples,
      int batchSize,
      long seed,
      Augmenter augmenter,
      BatchAssembler assembler) {
    this.samples = List.copyOf(samples);
    this.batchSize = batchSize;
    this.seed = seed;
    this.augmenter = augmenter;
    this.assembler = assembler;
  }

  @Override
  public long batchesPerEpoch() {
    return (samples.size() + batchSize - 1) / batchSize;
  }

  @Override
  public Epoch epoch(int epoch) {
    List<SampleView> order = new ArrayList<>(samples);
    Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
    return new Epoch() {
      private int from;

      @Override
      public boolean hasNext() {
        return from < order.size();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        List<SampleView> batch = new ArrayList<>();
        for (SampleView sample : order.subList(from, Math.min(order.size(), from + batchSize))) {
          batch.add(augmenter.apply(sample, epoch));
        }
        from += batchSize;
        return assembler.assemble(batch);
      }

      @Override
      public void close() {}
    };
  }
}
