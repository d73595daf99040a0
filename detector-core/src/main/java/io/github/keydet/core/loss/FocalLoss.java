package io.github.keydet.core.loss;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.target.TargetArrays;
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
 */
public final class FocalLoss {
  /** Clamp bound of the training sigmoid. */
  public static final double SIGMOID_EPS = 1e-4;

  private static final int BLOCK = 1024;
  private static final double LOG_EPS = Math.log(SIGMOID_EPS);
  private static final double LOG_1M_EPS = Math.log(1 - SIGMOID_EPS);

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
    double pos = 0;
    double neg = 0;
    long numPos = 0;
    boolean logits = input == HeatmapInput.LOGITS;
    // blocks of simple passes (transcendentals in their own loops) run several times faster than one fused loop
    float[] xb = new float[BLOCK];
    float[] gb = new float[BLOCK];
    double[] ab = new double[BLOCK];
    double[] lb = new double[BLOCK];
    double[] pb = new double[BLOCK];
    for (int s = 0; s < n; s += BLOCK) {
      int len = Math.min(BLOCK, n - s);
      p.get(s, xb, 0, len);
      g.get(s, gb, 0, len);
      if (logits) {
        for (int i = 0; i < len; i++) {
          ab[i] = 1 + FastMath.exp(-xb[i]);
        }
        for (int i = 0; i < len; i++) {
          lb[i] = FastMath.log(ab[i]);
        }
        for (int i = 0; i < len; i++) {
          pb[i] = Math.max(SIGMOID_EPS, Math.min(1 - SIGMOID_EPS, 1 / ab[i]));
        }
      } else {
        for (int i = 0; i < len; i++) {
          pb[i] = xb[i];
          ab[i] = gb[i] == 1f ? pb[i] : 1 - pb[i];
        }
        for (int i = 0; i < len; i++) {
          lb[i] = FastMath.log(ab[i]);
        }
      }
      for (int i = 0; i < len; i++) {
        float gi = gb[i];
        double prob = pb[i];
        double logP;
        double log1mP;
        if (!logits) {
          logP = lb[i];
          log1mP = lb[i];
        } else if (prob == SIGMOID_EPS) {
          logP = LOG_EPS;
          log1mP = LOG_1M_EPS;
        } else if (prob == 1 - SIGMOID_EPS) {
          logP = LOG_1M_EPS;
          log1mP = LOG_EPS;
        } else {
          logP = -lb[i];
          log1mP = -xb[i] - lb[i];
        }
        if (gi == 1f) {
          double q = 1 - prob;
          pos += logP * q * q;
          numPos++;
        } else if (gi < 1f) {
          double w = 1 - gi;
          w *= w;
          neg += log1mP * prob * prob * (w * w);
        } else if (Float.isNaN(gi)) {
          throw new InvalidInputException("focal loss: target has NaN at flat index " + (s + i));
        }
      }
    }
    if (Double.isNaN(pos) || Double.isNaN(neg)) {
      TargetArrays.requireNoNaN("prediction", p, n);
    }
    return numPos == 0 ? -neg : -(pos + neg) / numPos;
  }
}
