package io.github.keydet.api;

/** The decoder family of a keypoint detector; selects how its heads become boxes. */
public enum ModelFamily {
  /** CenterNet "Objects as Points" ctdet: center heatmap + wh + reg. */
  CENTERNET,
  /** Center heatmap + distances left/top/right/bottom from the cell (TTFNet-style; the default model). */
  TTFNET_LTRB,
  /** CornerNet and CornerNet-Lite (Saccade, Squeeze): corner heatmaps, embeddings, offsets. */
  CORNERNET,
  /** CenterNet-Triplets (Duan et al.): CornerNet plus a center heatmap that validates each box. */
  CENTERNET_TRIPLETS,
  /** ExtremeNet: four extreme-point heatmaps and a center heatmap, grouped geometrically. */
  EXTREMENET,
  /** CenterNet multi_pose: person centers plus 17 joints. */
  MULTI_POSE,
  /** CenterNet ddd: 3D boxes (depth, dimensions, rotation). */
  DDD,
  /** Multi-point CenterNet ("GridNeighbor"): several grid points of a box vote. */
  GRID_POINTS
}
