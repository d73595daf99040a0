package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;

/**
 * One annotated object in image pixels: a box (x1, y1, x2, y2), a 0-based class id (a model channel), and what some
 * families need besides: keypoints {@code [J * 3]} as (x, y, visibility) triples (multi_pose), the four extreme
 * points {@code [t_x, t_y, l_x, l_y, b_x, b_y, r_x, r_y]} (ExtremeNet), and a 3D part (ddd). Immutable (arrays are
 * copied in and out).
 *
 * @param x1 left, image pixels
 * @param y1 top
 * @param x2 right, {@code >= x1}
 * @param y2 bottom, {@code >= y1}
 * @param classId 0-based class id
 * @param keypoints {@code [J * 3]} (x, y, v) or null
 * @param extremePoints {@code [8]} top, left, bottom, right (x, y) or null
 * @param object3d the 3D part or null
 */
public record ObjectAnnotation(
    float x1,
    float y1,
    float x2,
    float y2,
    int classId,
    float[] keypoints,
    float[] extremePoints,
    Object3D object3d) {

  /** Validates: finite coordinates, non-negative size, class id {@code >= 0}, array lengths. */
  public ObjectAnnotation {
    if (!Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2) || !Float.isFinite(y2)) {
      throw new InvalidInputException(
          "box has a non-finite coordinate: (x1, y1, x2, y2) = (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
    }
    if (x2 < x1 || y2 < y1) {
      throw new InvalidInputException(
          "box has a negative size: (x1, y1, x2, y2) = (" + x1 + ", " + y1 + ", " + x2 + ", " + y2
              + "), width " + (x2 - x1) + ", height " + (y2 - y1));
    }
    if (classId < 0) {
      throw new InvalidInputException("class id must be >= 0, got " + classId);
    }
    if (keypoints != null) {
      if (keypoints.length % 3 != 0) {
        throw new InvalidInputException(
            "keypoints must be (x, y, v) triples, got " + keypoints.length + " values");
      }
      checkFinite("keypoints", keypoints);
      keypoints = keypoints.clone();
    }
    if (extremePoints != null) {
      if (extremePoints.length != 8) {
        throw new InvalidInputException(
            "extreme points must be 8 values (t, l, b, r as x, y), got " + extremePoints.length);
      }
      checkFinite("extreme points", extremePoints);
      extremePoints = extremePoints.clone();
    }
  }

  private static void checkFinite(String what, float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new InvalidInputException(what + " value " + i + " is not finite: " + Arrays.toString(v));
      }
    }
  }

  /** A plain box (x1, y1, x2, y2). */
  public static ObjectAnnotation box(float x1, float y1, float x2, float y2, int classId) {
    return new ObjectAnnotation(x1, y1, x2, y2, classId, null, null, null);
  }

  /**
   * A COCO box {@code [x, y, w, h]} as CenterNet's {@code _coco_box_to_bbox} converts it (sums in double, stored
   * as float32).
   *
   * @throws InvalidInputException for a negative width or height
   */
  public static ObjectAnnotation cocoBox(double x, double y, double w, double h, int classId) {
    if (!(w >= 0) || !(h >= 0)) {
      throw new InvalidInputException("COCO box has a negative size: [x, y, w, h] = [" + x + ", " + y + ", " + w
          + ", " + h + "]");
    }
    return box((float) x, (float) y, (float) (x + w), (float) (y + h), classId);
  }

  /** This object with keypoints {@code [J * 3]} (x, y, v). */
  public ObjectAnnotation withKeypoints(float[] kps) {
    return new ObjectAnnotation(x1, y1, x2, y2, classId, kps, extremePoints, object3d);
  }

  /** This object with extreme points {@code [t_x, t_y, l_x, l_y, b_x, b_y, r_x, r_y]}. */
  public ObjectAnnotation withExtremePoints(float[] pts) {
    return new ObjectAnnotation(x1, y1, x2, y2, classId, keypoints, pts, object3d);
  }

  /** This object with a 3D part. */
  public ObjectAnnotation with3d(Object3D o) {
    return new ObjectAnnotation(x1, y1, x2, y2, classId, keypoints, extremePoints, o);
  }

  /** A copy of the keypoints, or null. */
  @Override
  public float[] keypoints() {
    return keypoints == null ? null : keypoints.clone();
  }

  /** A copy of the extreme points, or null. */
  @Override
  public float[] extremePoints() {
    return extremePoints == null ? null : extremePoints.clone();
  }
}
