package io.github.keydet.core.loss;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.encode.TargetSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CenterNet's ctdet training loss ({@code trains/ctdet.py}, one stack, focal loss, L1 regression): {@code total =
 * hmWeight * focal(sigmoid(hm), gt hm) + whWeight * RegL1(wh) + offWeight * RegL1(reg)}. The heatmap head is passed
 * as logits (the sigmoid is clamped to [1e-4, 1 - 1e-4]). For several stacks, compute each and average. Immutable.
 *
 * @param weights the term weights
 */
public record CtdetLoss(Weights weights) {

  /**
   * Term weights; CenterNet's defaults are {@link #DEFAULT}: hm 1, wh 0.1, off 1.
   *
   * @param hm heatmap weight
   * @param wh size weight
   * @param off offset weight
   */
  public record Weights(double hm, double wh, double off) {
    /** hm 1, wh 0.1, off 1. */
    public static final Weights DEFAULT = new Weights(1, 0.1, 1);

    /** Rejects negative or non-finite weights. */
    public Weights {
      if (!(hm >= 0) || !(wh >= 0) || !(off >= 0) || Double.isInfinite(hm + wh + off)) {
        throw new InvalidConfigException(
            "loss weights must be finite and >= 0, got hm=" + hm + ", wh=" + wh + ", off=" + off);
      }
    }
  }

  /**
   * The loss terms.
   *
   * @param total weighted sum
   * @param hm focal loss
   * @param wh size loss (unweighted)
   * @param off offset loss (unweighted)
   */
  public record Values(double total, double hm, double wh, double off) {}

  /** With the default weights. */
  public static CtdetLoss defaults() {
    return new CtdetLoss(Weights.DEFAULT);
  }

  /**
   * The loss of heads against batched targets.
   *
   * @param hmLogits {@code [B, C, H, W]} heatmap logits
   * @param wh {@code [B, 2, H, W]}
   * @param reg {@code [B, 2, H, W]} or null (no offset head: off = 0)
   * @param gtHm {@code [B, C, H, W]}
   * @param gtWh {@code [B, M, 2]}
   * @param gtReg {@code [B, M, 2]} (ignored without {@code reg})
   * @param ind {@code [B, M]}
   * @param regMask {@code [B, M]}
   */
  public Values compute(
      INDArray hmLogits,
      INDArray wh,
      INDArray reg,
      INDArray gtHm,
      INDArray gtWh,
      INDArray gtReg,
      INDArray ind,
      INDArray regMask) {
    double hm = FocalLoss.compute(hmLogits, gtHm, HeatmapInput.LOGITS);
    double whLoss = weights.wh() > 0 ? RegressionLoss.regL1(wh, regMask, ind, gtWh) : 0;
    double off = reg != null && weights.off() > 0 ? RegressionLoss.regL1(reg, regMask, ind, gtReg) : 0;
    return new Values(weights.hm() * hm + weights.wh() * whLoss + weights.off() * off, hm, whLoss, off);
  }

  /**
   * The loss of one sample's heads ({@code [C, H, W]}, {@code [2, H, W]}...) against targets from {@link
   * io.github.keydet.core.encode.CtdetTargetEncoder}.
   */
  public Values compute(INDArray hmLogits, INDArray wh, INDArray reg, TargetSet targets) {
    return compute(
        hmLogits,
        wh,
        reg,
        targets.get("hm"),
        targets.get("wh"),
        targets.get("reg"),
        targets.get("ind"),
        targets.get("reg_mask"));
  }
}
