package io.github.keydet.core.decode;

import io.github.keydet.core.heads.HeadView;

import io.github.keydet.api.InvalidInputException;

/**
 * The one read of regression heads at a peak cell for the center-based decoders (ctdet, LTRB, multi_pose, 3D,
 * grid points): the sub-pixel center — the cell plus the offset head's channels 0 and 1, or the cell plus 0.5
 * without an offset head — and any other value at the cell (size, distances, joints), all in output-map cells.
 *
 * <p>One NaN rule for all: a NaN read here is an {@link InvalidInputException} naming the head, channel and cell
 * ({@link HeadView#finite}). (ctdet and LTRB used to let it through into the box, which the post-processor then
 * dropped without a word.)
 */
final class CenterGather {
  private CenterGather() {}

  /** The value of {@code head} at batch n, channel c, cell (x, y); NaN is an {@link InvalidInputException}. */
  static float value(HeadView head, int n, int c, int y, int x) {
    return head.finite(n, c, y, x);
  }

  /** x of the center of cell (x, y): {@code x + offset[0]}, or {@code x + 0.5} when {@code offset} is null. */
  static float centerX(HeadView offset, int n, int y, int x) {
    return offset == null ? x + 0.5f : x + value(offset, n, 0, y, x);
  }

  /** y of the center of cell (x, y): {@code y + offset[1]}, or {@code y + 0.5} when {@code offset} is null. */
  static float centerY(HeadView offset, int n, int y, int x) {
    return offset == null ? y + 0.5f : y + value(offset, n, 1, y, x);
  }
}
