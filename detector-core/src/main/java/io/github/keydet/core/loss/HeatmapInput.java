package io.github.keydet.core.loss;

/** What a heatmap passed to a loss holds. */
public enum HeatmapInput {
  /**
   * Raw network outputs: the loss applies the sigmoid and clamps it to [1e-4, 1 - 1e-4] as CenterNet's and
   * CornerNet's {@code _sigmoid} do in training.
   */
  LOGITS,
  /** Probabilities, used as given (no clamp), as {@code _neg_loss(pred, gt)} receives them. */
  PROBABILITIES
}
