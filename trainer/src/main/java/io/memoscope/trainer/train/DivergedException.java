package io.memoscope.trainer.train;

/** A run stopped because it diverged (config {@code on-divergence: stop}, the default). */
public final class DivergedException extends RuntimeException {

  private final transient Divergence divergence;

  DivergedException(Divergence divergence) {
    super(
        "diverged at "
            + divergence.describe()
            + "; the run stops (on-divergence: continue would keep it going)");
    this.divergence = divergence;
  }

  public Divergence divergence() {
    return divergence;
  }
}
