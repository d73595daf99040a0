package io.github.keydet.core.decode;

/**
 * One decoded detection before post-processing, in output-map coordinates (cells of the heads).
 *
 * <p>The arrays are owned by the candidate and must not be modified. Rejected candidates of families that keep
 * them (CornerNet, ExtremeNet score them -1 or lower) are dropped by the decoders unless asked otherwise.
 *
 * @param x1 left
 * @param y1 top
 * @param x2 right
 * @param y2 bottom
 * @param score decoder score
 * @param classId class channel
 * @param points family-specific points as (x, y) pairs — joints in order for pose, extreme points in t, l, b, r
 *     order for ExtremeNet, the center keypoint for Triplets; empty when the family has none
 * @param pointScores one score per point (same order), empty when the family has none
 * @param object3d raw 3D values of a {@code ddd} model, or {@code null}
 * @param pointId which of a family's designated points the candidate was decoded from (GridNeighbor: the point
 *     flag 0..8, row-major over the box's 3x3 grid), or -1 when the family has no such notion
 */
public record Candidate(
    float x1,
    float y1,
    float x2,
    float y2,
    float score,
    int classId,
    float[] points,
    float[] pointScores,
    Object3dValues object3d,
    int pointId) {

  private static final float[] NONE = new float[0];

  /** A candidate of a family without designated points ({@link #pointId()} -1). */
  public Candidate(
      float x1, float y1, float x2, float y2, float score, int classId, float[] points, float[] pointScores,
      Object3dValues object3d) {
    this(x1, y1, x2, y2, score, classId, points, pointScores, object3d, -1);
  }

  /** A box-only candidate. */
  public static Candidate box(float x1, float y1, float x2, float y2, float score, int classId) {
    return new Candidate(x1, y1, x2, y2, score, classId, NONE, NONE, null);
  }

  /** A candidate with points (and one score per point). */
  public static Candidate withPoints(
      float x1, float y1, float x2, float y2, float score, int classId, float[] points, float[] pointScores) {
    return new Candidate(x1, y1, x2, y2, score, classId, points, pointScores, null);
  }

  /** Number of (x, y) points. */
  public int pointCount() {
    return points.length / 2;
  }
}
