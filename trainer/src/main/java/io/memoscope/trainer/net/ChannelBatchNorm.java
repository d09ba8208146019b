package io.memoscope.trainer.net;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation of convolutional (NCHW, float) activations with the batch statistics and the
 * backward pass computed from per-(sample, channel) row sums.
 *
 * <p>Why: DL4J 1.0.0-M2.1's oneDNN helper ({@link MKLDNNBatchNormHelper}) normalises with oneDNN
 * but computes the batch variance with ND4J's {@code Variance} op, which walks the array element by
 * element (6.9 ms for a 128×16×28×28 batch, against 0.8 ms for a sum), and its {@code batchnorm_bp}
 * takes 8 ms. Together they were 41 % of {@code small-cnn}'s training step (docs/benchmarks.md).
 * Here every reduction runs over contiguous rows of H×W values ({@code sum}, {@code squaredNorm},
 * {@code dot} along the last axis of an [N, C, H·W] view), the per-channel combination is done in
 * double on C numbers, and each per-channel affine map (one forward, two backward) is a pair of
 * broadcasts over that view's rows:
 *
 * <pre>
 *   forward:  y  = (γ/σ)·x + (β − γ·μ/σ)                   μ, σ² = batch mean, population variance
 *   backward: dβ = Σ ε,  dγ = (Σ ε·x − μ·Σ ε)/σ            sums over N, H, W per channel; M = N·H·W
 *             dx = (γ/σ)·ε − (γ·dγ/(σ²·M))·(x − μ) − γ·dβ/(σ·M)
 * </pre>
 *
 * The variance comes from Σx² − M·μ² in double over float row sums, not from a two-pass centred
 * sum; against DL4J's helper outputs and gradients agree within 1e-5 (relative L2, {@code
 * ChannelBatchNormTest}). Results stay bit-identical run to run. Anything else (rank-2 input, NHWC,
 * other data types, a layer without γ and β) goes to DL4J's own helper unchanged.
 */
public final class ChannelBatchNorm implements BatchNormalizationHelper {

  private final BatchNormalizationHelper dl4j;

  /** The last training batch's statistics, for the backward pass and DL4J's running averages. */
  private double[] batchMean;

  private double[] batchVariance;
  private INDArray mean;
  private INDArray variance;
  private boolean delegated;

  ChannelBatchNorm(BatchNormalizationHelper dl4j) {
    this.dl4j = dl4j;
  }

  /**
   * Replaces DL4J's oneDNN batch-norm helper in every batch-norm layer of the graph that has one;
   * layers without it (helpers switched off) keep DL4J's built-in path.
   *
   * @return how many layers now use this helper
   */
  public static int installIn(ComputationGraph graph) {
    int installed = 0;
    for (Layer layer : graph.getLayers()) {
      if (layer instanceof BatchNormalization batchNorm
          && batchNorm.getHelper() instanceof MKLDNNBatchNormHelper own) {
        LayerHelpers.replace(batchNorm, BatchNormalization.class, new ChannelBatchNorm(own));
        installed++;
      }
    }
    return installed;
  }

  private static boolean handles(INDArray x, CNN2DFormat format) {
    return x.rank() == 4
        && format == CNN2DFormat.NCHW
        && x.dataType() == DataType.FLOAT
        && LayerHelpers.contiguous(x);
  }

  @Override
  public INDArray preOutput(
      INDArray x,
      boolean training,
      long[] shape,
      INDArray gamma,
      INDArray beta,
      INDArray globalMean,
      INDArray globalVar,
      double decay,
      double eps,
      CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    delegated = !handles(x, format) || gamma == null || beta == null;
    if (delegated) {
      return dl4j.preOutput(
          x, training, shape, gamma, beta, globalMean, globalVar, decay, eps, format, workspaceMgr);
    }
    double[] mu;
    double[] var;
    if (training) {
      batchStatistics(x);
      mu = batchMean;
      var = batchVariance;
    } else {
      mu = doubles(globalMean);
      var = doubles(globalVar);
    }
    double[] g = doubles(gamma);
    double[] b = doubles(beta);
    double[] scale = new double[mu.length];
    double[] shift = new double[mu.length];
    for (int c = 0; c < mu.length; c++) {
      scale[c] = g[c] / Math.sqrt(var[c] + eps);
      shift[c] = b[c] - scale[c] * mu[c];
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
    affine(x, scale, shift, out);
    return out;
  }

  /**
   * μ and σ² per channel (population variance, as DL4J's helper keeps it for the running averages).
   */
  private void batchStatistics(INDArray x) {
    long n = x.size(0);
    int channels = (int) x.size(1);
    INDArray rows = x.reshape('c', n, channels, x.size(2) * x.size(3));
    double[] sums = channelTotals(rows.sum(2));
    double[] squares = channelTotals(Nd4j.exec(new SquaredNorm(rows, 2)));
    double count = (double) n * x.size(2) * x.size(3);
    batchMean = new double[channels];
    batchVariance = new double[channels];
    for (int c = 0; c < channels; c++) {
      batchMean[c] = sums[c] / count;
      batchVariance[c] = Math.max(0, squares[c] / count - batchMean[c] * batchMean[c]);
    }
    try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      if (mean == null || mean.length() != channels) {
        mean = Nd4j.create(DataType.FLOAT, channels);
        variance = Nd4j.create(DataType.FLOAT, channels);
      }
      mean.assign(floats(batchMean));
      variance.assign(floats(batchVariance));
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray input,
      INDArray epsilon,
      long[] shape,
      INDArray gamma,
      INDArray beta,
      INDArray dGammaView,
      INDArray dBetaView,
      double eps,
      CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    if (delegated) {
      return dl4j.backpropGradient(
          input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format, workspaceMgr);
    }
    INDArray grad = LayerHelpers.contiguous(epsilon) ? epsilon : epsilon.dup('c');
    long n = input.size(0);
    int channels = (int) input.size(1);
    long spatial = input.size(2) * input.size(3);
    INDArray x3 = input.reshape('c', n, channels, spatial);
    INDArray g3 = grad.reshape('c', n, channels, spatial);
    double[] gradSums = channelTotals(g3.sum(2));
    double[] gradDotX = channelTotals(Nd4j.exec(new Dot(g3, x3, 2)));
    double[] g = doubles(gamma);
    double count = (double) n * spatial;
    double[] dGamma = new double[channels];
    double[] dBeta = new double[channels];
    double[] gradScale = new double[channels];
    double[] xScale = new double[channels];
    double[] shift = new double[channels];
    for (int c = 0; c < channels; c++) {
      double invStd = 1 / Math.sqrt(batchVariance[c] + eps);
      dBeta[c] = gradSums[c];
      dGamma[c] = (gradDotX[c] - batchMean[c] * gradSums[c]) * invStd;
      // dx = (γ/σ)·ε − (γ·dγ/(σ²·M))·(x − μ) − γ·dβ/(σ·M)
      gradScale[c] = g[c] * invStd;
      xScale[c] = -g[c] * dGamma[c] * invStd * invStd / count;
      shift[c] = -g[c] * dBeta[c] * invStd / count - xScale[c] * batchMean[c];
    }
    INDArray out =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
    INDArray fromInput =
        workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(), input.shape());
    affine(grad, gradScale, null, out);
    affine(input, xScale, shift, fromInput);
    out.addi(fromInput);
    dGammaView.assign(floats(dGamma).reshape(dGammaView.shape()));
    dBetaView.assign(floats(dBeta).reshape(dBetaView.shape()));
    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor("gamma", dGammaView);
    gradient.setGradientFor("beta", dBetaView);
    return new Pair<>(gradient, out);
  }

  /**
   * {@code out = scale·x + shift} per channel (shift may be null), as broadcasts over the [N, C,
   * H·W] view with one number per (sample, channel) row: 0.5 ms each for 128×16×28×28, a third of
   * libnd4j's oneDNN {@code batchnorm} op on the same array.
   */
  private static void affine(INDArray x, double[] scale, double[] shift, INDArray out) {
    long n = x.size(0);
    int channels = (int) x.size(1);
    long spatial = x.size(2) * x.size(3);
    INDArray rows = x.reshape('c', n, channels, spatial);
    INDArray outRows = out.reshape('c', n, channels, spatial);
    Nd4j.exec(new BroadcastMulOp(rows, perRow(scale, n), outRows, 0, 1));
    if (shift != null) {
      Nd4j.exec(new BroadcastAddOp(outRows, perRow(shift, n), outRows, 0, 1));
    }
  }

  /** [n, C]: the per-channel values repeated for each of n samples. */
  private static INDArray perRow(double[] perChannel, long n) {
    float[] values = new float[(int) n * perChannel.length];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < perChannel.length; c++) {
        values[i * perChannel.length + c] = (float) perChannel[c];
      }
    }
    return Nd4j.create(values, new long[] {n, perChannel.length}, 'c');
  }

  /** Column totals of an [N, C] array of per-row float sums, added in double. */
  private static double[] channelTotals(INDArray perRow) {
    return perRow.castTo(DataType.DOUBLE).sum(0).data().asDouble();
  }

  private static double[] doubles(INDArray vector) {
    return vector.castTo(DataType.DOUBLE).data().asDouble();
  }

  private static INDArray floats(double[] values) {
    return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
  }

  @Override
  public INDArray getMeanCache(DataType dataType) {
    return delegated ? dl4j.getMeanCache(dataType) : mean;
  }

  @Override
  public INDArray getVarCache(DataType dataType) {
    return delegated ? dl4j.getVarCache(dataType) : variance;
  }

  @Override
  public boolean checkSupported(double eps, boolean fixedGammaBeta) {
    return dl4j.checkSupported(eps, fixedGammaBeta);
  }

  @Override
  public boolean checkSupported() {
    return dl4j.checkSupported();
  }

  @Override
  public java.util.Map<String, Long> helperMemoryUse() {
    return dl4j.helperMemoryUse();
  }
}
