package io.memoscope.trainer.train;

import io.memoscope.trainer.config.TrainingConfig;
import io.memoscope.trainer.net.Architecture;
import io.memoscope.trainer.net.Architectures;
import io.memoscope.trainer.net.InputShape;
import io.memoscope.trainer.net.ModelSpec;
import io.memoscope.trainer.net.Trunk;
import io.memoscope.trainer.optim.Optimizers;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/** Turns a run's {@link TrainingConfig} and its data set's shape into the network to build. */
public final class ModelSpecs {

  private ModelSpecs() {}

  /**
   * @param labelings random labelings the data set carries
   * @param totalSteps optimizer steps of the whole run (for the learning-rate schedule)
   */
  public static ModelSpec from(
      TrainingConfig config,
      InputShape input,
      int numClasses,
      int randomClasses,
      int labelings,
      long totalSteps) {
    Architecture architecture = Architectures.named(config.model().name());
    // The taps are known once the extractor is laid out; a scratch builder costs only
    // configuration.
    Trunk trunk =
        architecture.addTo(
            new NeuralNetConfiguration.Builder().graphBuilder().addInputs(Architectures.INPUT),
            input,
            config.trunkOptions());
    return new ModelSpec(
        architecture.name(),
        input,
        numClasses,
        config.heads().specs(trunk, labelings, randomClasses),
        config.trunkOptions(),
        config.regularization().weightDecay(),
        config.regularization().labelSmoothing(),
        Optimizers.updater(config, totalSteps),
        config.seed(),
        config.dataType(),
        config.heads().readout(),
        config.heads().readoutWidth());
  }
}
