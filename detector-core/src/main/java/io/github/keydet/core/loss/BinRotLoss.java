package io.github.keydet.core.loss;

import io.github.keydet.core.encode.TargetArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CenterNet's ddd rotation loss ({@code BinRotLoss} / {@code compute_rot_loss}) on the 8-channel rotation head
 * {@code [bin1 logit 0, bin1 logit 1, bin1 sin, bin1 cos, bin2 logit 0, bin2 logit 1, bin2 sin, bin2 cos]}.
 *
 * <p>For each of the two bins: cross entropy of the two logits (multiplied by the object mask first, so masked slots
 * contribute {@code log 2}) against {@code rotbin}, averaged over all B * M slots; plus, over the slots whose
 * {@code rotbin} is 1, the mean smooth-L1 of {@code sin} against {@code sin(rotres)} and of {@code cos} against
 * {@code cos(rotres)}. Logits are raw outputs. Stateless.
 */
public final class BinRotLoss {
  private BinRotLoss() {}

  /**
   * The loss.
   *
   * @param output rotation head {@code [B, 8, H, W]}
   * @param mask {@code rot_mask} {@code [B, M]}
   * @param ind {@code ind} {@code [B, M]}
   * @param rotbin {@code [B, M, 2]} (0 / 1)
   * @param rotres {@code [B, M, 2]} residual angles, radians
   */
  public static double compute(INDArray output, INDArray mask, INDArray ind, INDArray rotbin, INDArray rotres) {
    long[] os = LossArrays.batched("output", output, 4);
    long[] is = LossArrays.batched("ind", ind, 2);
    RegressionLoss.Gathered g = new RegressionLoss.Gathered(
        (int) os[0], (int) is[1], (int) os[1], LossArrays.gather("output", output, ind), null);
    if (g.d != 8) {
      throw new io.github.keydet.api.InvalidInputException(
          "rotation head must have 8 channels, got " + g.d + " (shape " + java.util.Arrays.toString(output.shape())
              + ")");
    }
    int n = g.b * g.m;
    float[] m = RegressionLoss.maskOf(mask, g.b, g.m, 1);
    long[] bins = TargetArrays.readLongs(rotbin);
    if (bins.length != 2 * n) {
      throw new io.github.keydet.api.InvalidInputException(
          "'rotbin' must have " + 2 * n + " values, got " + bins.length);
    }
    float[] res = LossArrays.floats(rotres);
    if (res.length != 2 * n) {
      throw new io.github.keydet.api.InvalidInputException(
          "'rotres' must have " + 2 * n + " values, got " + res.length);
    }
    double loss = 0;
    for (int bin = 0; bin < 2; bin++) {
      int c = 4 * bin;
      double ce = 0;
      double sinSum = 0;
      double cosSum = 0;
      int count = 0;
      for (int i = 0; i < n; i++) {
        double l0 = g.pred[i * 8 + c] * m[i];
        double l1 = g.pred[i * 8 + c + 1] * m[i];
        long t = bins[2 * i + bin];
        double mx = Math.max(l0, l1);
        double lse = mx + Math.log(Math.exp(l0 - mx) + Math.exp(l1 - mx));
        ce += lse - (t == 0 ? l0 : l1);
        if (t != 0) {
          count++;
          double r = res[2 * i + bin];
          sinSum += RegressionLoss.smoothL1(g.pred[i * 8 + c + 2] - (float) Math.sin(r));
          cosSum += RegressionLoss.smoothL1(g.pred[i * 8 + c + 3] - (float) Math.cos(r));
        }
      }
      loss += ce / n;
      if (count > 0) {
        loss += sinSum / count + cosSum / count;
      }
    }
    return loss;
  }
}
