package io.github.keydet.core.loss;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The masked regression losses at gathered indices. Each takes the head output {@code [B, D, H, W]}, flat indices
 * {@code ind [B, M]}, a mask and the target {@code [B, M, D]} (rank one lower each for a single sample), gathers the
 * prediction {@code pred [B, M, D] = output[b, :, ind[b, m]]} ({@code _transpose_and_gather_feat}) and compares.
 * Outputs are raw regression values (no activation). Stateless.
 */
public final class RegressionLoss {
  private RegressionLoss() {}

  /**
   * CenterNet's {@code RegL1Loss}: {@code sum |pred * mask - target * mask| / (sum(mask expanded to [B, M, D]) +
   * 1e-4)}, i.e. normalised by {@code D} times the number of masked objects.
   *
   * @param mask {@code [B, M]} (any numeric type, e.g. {@code reg_mask})
   */
  public static double regL1(INDArray output, INDArray mask, INDArray ind, INDArray target) {
    Gathered g = gather(output, ind, target);
    float[] m = maskOf(mask, g.b, g.m, 1);
    double sum = 0;
    double msum = 0;
    for (int i = 0; i < g.b * g.m; i++) {
      float mi = m[i];
      msum += mi * g.d;
      for (int k = 0; k < g.d; k++) {
        int p = i * g.d + k;
        sum += Math.abs(g.pred[p] * mi - g.target[p] * mi);
      }
    }
    return sum / (msum + 1e-4);
  }

  /**
   * CenterNet's {@code RegWeightedL1Loss} (category-specific wh): {@code sum |pred * mask - target * mask| /
   * (sum(mask) + 1e-4)} with an element-wise mask.
   *
   * @param mask {@code [B, M, D]} (e.g. {@code cat_spec_mask})
   */
  public static double regWeightedL1(INDArray output, INDArray mask, INDArray ind, INDArray target) {
    Gathered g = gather(output, ind, target);
    float[] m = maskOf(mask, g.b, g.m, g.d);
    double sum = 0;
    double msum = 0;
    for (int p = 0; p < g.pred.length; p++) {
      float mi = m[p];
      msum += mi;
      sum += Math.abs(g.pred[p] * mi - g.target[p] * mi);
    }
    return sum / (msum + 1e-4);
  }

  /**
   * Smooth-L1 (beta 1) over the masked objects, summed and divided by {@code (number of masked objects + 1e-4)}:
   * CornerNet's offset loss {@code _off_loss} / {@code _regr_loss} and CenterNet's {@code RegLoss} ({@code
   * --reg_loss sl1}).
   *
   * @param mask {@code [B, M]}, non-zero = object present
   */
  public static double smoothL1(INDArray output, INDArray mask, INDArray ind, INDArray target) {
    Gathered g = gather(output, ind, target);
    float[] m = maskOf(mask, g.b, g.m, 1);
    double sum = 0;
    double num = 0;
    for (int i = 0; i < g.b * g.m; i++) {
      if (m[i] == 0) {
        continue;
      }
      num += m[i];
      for (int k = 0; k < g.d; k++) {
        int p = i * g.d + k;
        sum += smoothL1(g.pred[p] - g.target[p]);
      }
    }
    return sum / (num + 1e-4);
  }

  static double smoothL1(double diff) {
    double a = Math.abs(diff);
    return a < 1 ? 0.5 * a * a : a - 0.5;
  }

  /** Gathered predictions and targets, both {@code [B, M, D]} flattened. */
  static final class Gathered {
    final int b;
    final int m;
    final int d;
    final float[] pred;
    final float[] target;

    Gathered(int b, int m, int d, float[] pred, float[] target) {
      this.b = b;
      this.m = m;
      this.d = d;
      this.pred = pred;
      this.target = target;
    }
  }

  static Gathered gather(INDArray output, INDArray ind, INDArray target) {
    long[] os = LossArrays.batched("output", output, 4);
    long[] is = LossArrays.batched("ind", ind, 2);
    LossArrays.requireDims("target", LossArrays.batched("target", target, 3), new long[] {os[0], is[1], os[1]});
    float[] pred = LossArrays.gather("output", output, ind);
    return new Gathered((int) os[0], (int) is[1], (int) os[1], pred, LossArrays.floats(target));
  }

  static float[] maskOf(INDArray mask, int b, int m, int d) {
    long[] expected = d == 1 ? new long[] {b, m} : new long[] {b, m, d};
    long[] s = LossArrays.batched("mask", mask, expected.length);
    if (!Arrays.equals(s, expected)) {
      throw new InvalidInputException(
          "'mask' has shape " + Arrays.toString(mask.shape()) + ", expected " + Arrays.toString(expected));
    }
    return LossArrays.floats(mask);
  }
}
