package io.github.keydet.core.decode;

import io.github.keydet.core.heads.HeadView;

import io.github.keydet.api.InvalidInputException;

/**
 * The one read of regression heads at a peak cell for the center-based decoders (ctdet, LTRB, multi_pose, 3D,
 * grid points): the sub-pixel center — the cell plus the offset head's channels 0 and 1, or the cell plus 0.5
 * without an offset head — and any other value at the cell (size, distances, joints), all in output-map cells.
 *
 * <p>What a NaN does is the decoder's {@link NanRule}, passed explicitly: ctdet and LTRB have always let a NaN
 * through into the candidate's box, the other families reject it. One rule for all would change what
 * {@code CenterNetDecoder} and {@code LtrbDecoder} return for a NaN regression value, so both rules stay until
 * that change is decided on its own.
 */
final class CenterGather {
  private CenterGather() {}

  /** What a NaN read from a regression head does. */
  enum NanRule {
    /** It goes into the candidate as it is (ctdet, LTRB). */
    PROPAGATE,
    /** {@link InvalidInputException} naming the head, channel and cell, as {@link HeadView#finite}. */
    REJECT
  }

  /** The value of {@code head} at batch n, channel c, cell (x, y), under {@code rule}. */
  static float value(HeadView head, int n, int c, int y, int x, NanRule rule) {
    return rule == NanRule.REJECT ? head.finite(n, c, y, x) : head.get(n, c, y, x);
  }

  /** x of the center of cell (x, y): {@code x + offset[0]}, or {@code x + 0.5} when {@code offset} is null. */
  static float centerX(HeadView offset, int n, int y, int x, NanRule rule) {
    return offset == null ? x + 0.5f : x + value(offset, n, 0, y, x, rule);
  }

  /** y of the center of cell (x, y): {@code y + offset[1]}, or {@code y + 0.5} when {@code offset} is null. */
  static float centerY(HeadView offset, int n, int y, int x, NanRule rule) {
    return offset == null ? y + 0.5f : y + value(offset, n, 1, y, x, rule);
  }
}
