package io.github.keydet.core.heads;

/** Memory layout of a rank-4 tensor. */
public enum Layout {
  /** {@code [N, C, H, W]}, PyTorch's. */
  NCHW,
  /** {@code [N, H, W, C]}, TensorFlow's. */
  NHWC
}
