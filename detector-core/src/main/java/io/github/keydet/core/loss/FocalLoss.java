package io.github.keydet.core.loss;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.encode.TargetArrays;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The penalty-reduced pixel-wise focal loss of CornerNet and CenterNet ({@code _neg_loss}, alpha 2, beta 4).
 *
 * <p>With p the prediction and g the target heatmap (any shape, e.g. {@code [B, C, H, W]}, same for both):
 * positives are exactly the cells where {@code g == 1} and add {@code log(p) (1 - p)^2}; cells with {@code g < 1}
 * add {@code log(1 - p) p^2 (1 - g)^4}; cells with {@code g > 1} add nothing. The loss is {@code -(pos + neg) /
 * numPos}, or {@code -neg} when there is no positive (the original's defined behaviour: the negative sum, not
 * normalised). Sums are accumulated in double. Stateless.
 *
 * <p>Logits go through {@link LogitFocalKernel}: one logarithm per cell serves both {@code log(p)} and
 * {@code log(1 - p)}, in SIMD-friendly passes; it agrees with a double-precision {@code Math.exp}/{@code Math.log1p}
 * evaluation to about 1e-14 relative per cell, clamped cells included. Probabilities use a table-driven logarithm
 * ({@link FastMath}).
 */
public final class FocalLoss {
  /** Clamp bound of the training sigmoid. */
  public static final double SIGMOID_EPS = 1e-4;

  private static final int BLOCK = 1024;

  private FocalLoss() {}

  /**
   * The loss of {@code pred} against {@code gt}.
   *
   * @param pred logits or probabilities, see {@code input}
   * @param gt target heatmap, same shape
   * @throws InvalidInputException on different shapes or NaN in either array
   */
  public static double compute(INDArray pred, INDArray gt, HeatmapInput input) {
    if (!Arrays.equals(pred.shape(), gt.shape())) {
      throw new InvalidInputException(
          "focal loss: prediction shape " + Arrays.toString(pred.shape()) + " differs from target shape "
              + Arrays.toString(gt.shape()));
    }
    FloatBuffer p = TargetArrays.readFloats(pred);
    FloatBuffer g = TargetArrays.readFloats(gt);
    int n = (int) pred.length();
    return input == HeatmapInput.LOGITS ? fromLogits(p, g, n) : fromProbabilities(p, g, n);
  }

  private static double fromLogits(FloatBuffer p, FloatBuffer g, int n) {
    LogitFocalKernel kernel = new LogitFocalKernel();
    float[] xb = new float[LogitFocalKernel.BLOCK];
    float[] gb = new float[LogitFocalKernel.BLOCK];
    for (int s = 0; s < n; s += LogitFocalKernel.BLOCK) {
      int len = Math.min(LogitFocalKernel.BLOCK, n - s);
      p.get(s, xb, 0, len);
      g.get(s, gb, 0, len);
      kernel.accept(xb, gb, len);
    }
    double sum = kernel.sum();
    if (Double.isNaN(sum)) {
      // the kernel lets any NaN through to the sum instead of branching per cell; name the first one here
      requireNoTargetNaN(g, n);
      TargetArrays.requireNoNaN("prediction", p, n);
    }
    long numPos = kernel.positives();
    return numPos == 0 ? sum : sum / numPos;
  }

  private static double fromProbabilities(FloatBuffer p, FloatBuffer g, int n) {
    double pos = 0;
    double neg = 0;
    long numPos = 0;
    // blocks of simple passes (transcendentals in their own loops) run several times faster than one fused loop
    float[] xb = new float[BLOCK];
    float[] gb = new float[BLOCK];
    double[] lb = new double[BLOCK];
    double[] pb = new double[BLOCK];
    for (int s = 0; s < n; s += BLOCK) {
      int len = Math.min(BLOCK, n - s);
      p.get(s, xb, 0, len);
      g.get(s, gb, 0, len);
      for (int i = 0; i < len; i++) {
        pb[i] = xb[i];
        lb[i] = gb[i] == 1f ? pb[i] : 1 - pb[i];
      }
      for (int i = 0; i < len; i++) {
        lb[i] = FastMath.log(lb[i]);
      }
      for (int i = 0; i < len; i++) {
        float gi = gb[i];
        double prob = pb[i];
        if (gi == 1f) {
          double q = 1 - prob;
          pos += lb[i] * q * q;
          numPos++;
        } else if (gi < 1f) {
          double w = 1 - gi;
          w *= w;
          neg += lb[i] * prob * prob * (w * w);
        } else if (Float.isNaN(gi)) {
          throw targetNaN(s + i);
        }
      }
    }
    if (Double.isNaN(pos) || Double.isNaN(neg)) {
      TargetArrays.requireNoNaN("prediction", p, n);
    }
    return numPos == 0 ? -neg : -(pos + neg) / numPos;
  }

  private static void requireNoTargetNaN(FloatBuffer g, int n) {
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(g.get(i))) {
        throw targetNaN(i);
      }
    }
  }

  private static InvalidInputException targetNaN(int index) {
    return new InvalidInputException("focal loss: target has NaN at flat index " + index);
  }
}
