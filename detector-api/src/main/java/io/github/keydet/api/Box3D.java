package io.github.keydet.api;

import java.util.List;

/**
 * A 3D box in camera coordinates (KITTI convention: x right, y down, z forward; metres), as decoded by a
 * CenterNet "ddd" model.
 *
 * @param depth distance along the camera's z axis of the object center
 * @param height object height (m)
 * @param width object width (m)
 * @param length object length (m)
 * @param alpha observation angle in radians, [-pi, pi]
 * @param rotationY rotation around the camera's y axis in radians, [-pi, pi]; NaN when no calibration was given
 * @param location bottom-center location (x, y, z) in camera coordinates; empty when no calibration was given
 * @param projectedCorners the 8 corners projected into the image (x, y pairs); empty without calibration
 */
public record Box3D(
    float depth,
    float height,
    float width,
    float length,
    float alpha,
    float rotationY,
    List<Float> location,
    List<Keypoint> projectedCorners) {

  /** Defensive copies. */
  public Box3D {
    location = List.copyOf(location);
    projectedCorners = List.copyOf(projectedCorners);
  }
}
