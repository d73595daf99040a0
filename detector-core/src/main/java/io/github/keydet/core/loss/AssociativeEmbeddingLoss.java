package io.github.keydet.core.loss;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CornerNet's associative-embedding loss ({@code _ae_loss}) on the tags of the top-left and bottom-right corners of
 * each object. Per sample with n = number of masked objects and {@code e_k = (tl_k + br_k) / 2}:
 *
 * <ul>
 *   <li>pull = {@code sum_k ((tl_k - e_k)^2 + (br_k - e_k)^2) / (n + 1e-4)};
 *   <li>push = {@code sum over ordered pairs (j, k) of masked objects, j == k included, of (max(0, 1 - |e_j - e_k|) -
 *       1 / (n + 1e-4)) / ((n - 1) n + 1e-4)} — exactly the original, so one object alone gives a push of about
 *       0.9999, not 0.
 * </ul>
 *
 * Both are summed over the batch (not averaged). Tags are raw head outputs. Stateless.
 */
public final class AssociativeEmbeddingLoss {
  private AssociativeEmbeddingLoss() {}

  /**
   * The pull and push terms.
   *
   * @param pull grouping term
   * @param push separation term
   */
  public record PullPush(double pull, double push) {}

  /**
   * From the tag maps and the corner indices.
   *
   * @param tlTag top-left tag map {@code [B, 1, H, W]}
   * @param brTag bottom-right tag map {@code [B, 1, H, W]}
   * @param tlInd {@code tl_tags} {@code [B, M]}
   * @param brInd {@code br_tags} {@code [B, M]}
   * @param mask {@code tag_masks} {@code [B, M]}
   */
  public static PullPush compute(INDArray tlTag, INDArray brTag, INDArray tlInd, INDArray brInd, INDArray mask) {
    long[] ts = LossArrays.batched("tl tag", tlTag, 4);
    if (ts[1] != 1) {
      throw new InvalidInputException("tag maps must have 1 channel, got shape " + Arrays.toString(tlTag.shape()));
    }
    LossArrays.requireDims("br tag", LossArrays.batched("br tag", brTag, 4), ts);
    float[] t0 = LossArrays.gather("tl tag", tlTag, tlInd);
    float[] t1 = LossArrays.gather("br tag", brTag, brInd);
    long[] is = LossArrays.batched("tl ind", tlInd, 2);
    return fromGathered(t0, t1, RegressionLoss.maskOf(mask, (int) is[0], (int) is[1], 1), (int) is[0], (int) is[1]);
  }

  /**
   * From already gathered tags {@code [B, M]} (row-major) and mask {@code [B, M]}.
   *
   * @throws InvalidInputException if the lengths differ from {@code b * m}
   */
  public static PullPush fromGathered(float[] tl, float[] br, float[] mask, int b, int m) {
    if (tl.length != b * m || br.length != b * m || mask.length != b * m) {
      throw new InvalidInputException(
          "tags and mask must have " + b + " x " + m + " values, got " + tl.length + ", " + br.length + ", "
              + mask.length);
    }
    double pull = 0;
    double push = 0;
    double[] mean = new double[m];
    for (int bi = 0; bi < b; bi++) {
      double num = 0;
      for (int k = 0; k < m; k++) {
        if (mask[bi * m + k] != 0) {
          num++;
        }
      }
      double num2 = (num - 1) * num;
      for (int k = 0; k < m; k++) {
        int p = bi * m + k;
        mean[k] = ((double) tl[p] + br[p]) / 2;
        if (mask[p] != 0) {
          double a = tl[p] - mean[k];
          double c = br[p] - mean[k];
          pull += a * a / (num + 1e-4) + c * c / (num + 1e-4);
        }
      }
      for (int j = 0; j < m; j++) {
        if (mask[bi * m + j] == 0) {
          continue;
        }
        for (int k = 0; k < m; k++) {
          if (mask[bi * m + k] == 0) {
            continue;
          }
          double dist = Math.max(0, 1 - Math.abs(mean[j] - mean[k])) - 1 / (num + 1e-4);
          push += dist / (num2 + 1e-4);
        }
      }
    }
    return new PullPush(pull, push);
  }
}
