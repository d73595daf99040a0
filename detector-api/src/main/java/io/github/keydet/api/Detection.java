package io.github.keydet.api;

import java.util.List;
import java.util.Optional;

/**
 * One detected object, in original image pixels.
 *
 * @param box the box (x1, y1, x2, y2) in image pixels
 * @param score confidence in [0, 1]
 * @param classId the 0-based class channel of the model
 * @param label the class label from the model spec, or {@code "class_<id>"} when the model has none
 * @param keypoints joints (pose models, COCO order) or extreme points (ExtremeNet: top, left, bottom, right);
 *     empty when the model has none
 * @param polygon an outline as (x, y) points, e.g. ExtremeNet's octagon mask; empty when the model has none
 * @param box3d the 3D box of a "ddd" model, or {@code null}
 * @param mask an instance mask of the whole image in image pixels (e.g. DEXTR on ExtremeNet's extreme points),
 *     or {@code null}
 */
public record Detection(
    BoundingBox box,
    float score,
    int classId,
    String label,
    List<Keypoint> keypoints,
    List<Keypoint> polygon,
    Box3D box3d,
    InstanceMask mask) {

  /** A detection without a mask (the constructor before masks existed). */
  public Detection(BoundingBox box, float score, int classId, String label, List<Keypoint> keypoints,
      List<Keypoint> polygon, Box3D box3d) {
    this(box, score, classId, label, keypoints, polygon, box3d, null);
  }

  /** Validation and defensive copies. */
  public Detection {
    if (box == null) {
      throw new InvalidInputException("detection needs a box");
    }
    if (Float.isNaN(score)) {
      throw new InvalidInputException("detection score is NaN");
    }
    if (classId < 0) {
      throw new InvalidInputException("class id must be >= 0, got " + classId);
    }
    label = label == null ? "class_" + classId : label;
    keypoints = keypoints == null ? List.of() : List.copyOf(keypoints);
    polygon = polygon == null ? List.of() : List.copyOf(polygon);
  }

  /** A plain box detection. */
  public static Detection of(BoundingBox box, float score, int classId, String label) {
    return new Detection(box, score, classId, label, List.of(), List.of(), null);
  }

  /** The 3D box, when the model is a 3D detector. */
  public Optional<Box3D> optBox3d() {
    return Optional.ofNullable(box3d);
  }

  /** A copy with other keypoints. */
  public Detection withKeypoints(List<Keypoint> newKeypoints) {
    return new Detection(box, score, classId, label, newKeypoints, polygon, box3d, mask);
  }

  /** A copy with another polygon. */
  public Detection withPolygon(List<Keypoint> newPolygon) {
    return new Detection(box, score, classId, label, keypoints, newPolygon, box3d, mask);
  }

  /** A copy with a 3D box. */
  public Detection withBox3d(Box3D newBox3d) {
    return new Detection(box, score, classId, label, keypoints, polygon, newBox3d, mask);
  }

  /** The instance mask, when a segmenter produced one. */
  public Optional<InstanceMask> optMask() {
    return Optional.ofNullable(mask);
  }

  /** A copy with an instance mask ({@code null} removes it). */
  public Detection withMask(InstanceMask newMask) {
    return new Detection(box, score, classId, label, keypoints, polygon, box3d, newMask);
  }
}
