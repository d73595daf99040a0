package io.github.keydet.core.spec;

/** How an image becomes a network input. */
public enum ResizeMode {
  /**
   * CenterNet's affine warp to the fixed input size: center = image center, scale = max(h, w), aspect kept,
   * bilinear sampling, zeros outside the image.
   */
  AFFINE_WARP,
  /** Scale by min(W/w, H/h), bilinear resize, paste centered on a zero canvas (the default model's training). */
  LETTERBOX,
  /** CenterNet's test "pad" mode: no scaling, the image centered on a canvas of size {@code (h | (m-1)) + 1}. */
  PAD
}
