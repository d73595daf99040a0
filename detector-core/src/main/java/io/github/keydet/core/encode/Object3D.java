package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidInputException;

/**
 * The 3D part of a KITTI-style annotation, as CenterNet's {@code ddd} data set carries it.
 *
 * @param depth distance of the object's center from the camera, metres
 * @param height 3D height, metres ({@code dim[0]})
 * @param width 3D width, metres ({@code dim[1]})
 * @param length 3D length, metres ({@code dim[2]})
 * @param alpha observation angle in radians (CenterNet converts degree data with {@code radians(alpha + 45)}
 *     before this point)
 */
public record Object3D(float depth, float height, float width, float length, float alpha) {

  /** Rejects NaN and infinite values. */
  public Object3D {
    if (!Float.isFinite(depth) || !Float.isFinite(height) || !Float.isFinite(width)
        || !Float.isFinite(length) || !Float.isFinite(alpha)) {
      throw new InvalidInputException(
          "3D annotation has a non-finite value: depth=" + depth + ", dim=[" + height + ", " + width + ", "
              + length + "], alpha=" + alpha);
    }
  }
}
