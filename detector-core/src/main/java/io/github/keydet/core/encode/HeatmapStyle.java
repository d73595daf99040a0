package io.github.keydet.core.encode;

/**
 * How CenterNet-style encoders draw heatmap peaks: {@link #UMICH} (the default, focal-loss training) or {@link
 * #MSRA} (CenterNet's {@code --mse_loss} mode: fixed sigma {@code hm_gauss}, center {@code int(x + 0.5)}).
 */
public enum HeatmapStyle {
  /** {@code draw_umich_gaussian} with the radius rule's radius. */
  UMICH,
  /** {@code draw_msra_gaussian} with sigma = the fixed {@code hm_gauss} value. */
  MSRA
}
