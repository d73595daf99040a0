package io.github.keydet.core.geometry3d;

import io.github.keydet.api.InvalidConfigException;
import java.util.Arrays;

/**
 * A camera's 3x4 projection matrix P (KITTI's {@code P2}), row-major: image point ~ P · (x, y, z, 1).
 *
 * @param p the 12 values, row-major; copied, must be finite with non-zero focal lengths P[0][0], P[1][1]
 */
public record CameraCalibration(double[] p) {

  /** Validates and copies. */
  public CameraCalibration {
    if (p == null || p.length != 12) {
      throw new InvalidConfigException(
          "calibration must be a 3x4 matrix (12 values), got " + (p == null ? "null" : p.length + " values"));
    }
    p = p.clone();
    for (double v : p) {
      if (!Double.isFinite(v)) {
        throw new InvalidConfigException("calibration values must be finite, got " + Arrays.toString(p));
      }
    }
    if (p[0] == 0 || p[5] == 0) {
      throw new InvalidConfigException("calibration focal lengths must be non-zero, got " + Arrays.toString(p));
    }
  }

  /**
   * The matrix CenterNet's ddd detector uses when an image comes without calibration (a KITTI P2):
   * {@code [[707.0493, 0, 604.0814, 45.75831], [0, 707.0493, 180.5066, -0.3454157], [0, 0, 1, 0.004981016]]}.
   */
  public static CameraCalibration kittiDefault() {
    return new CameraCalibration(
        new double[] {
          707.0493, 0, 604.0814, 45.75831, 0, 707.0493, 180.5066, -0.3454157, 0, 0, 1, 0.004981016
        });
  }

  /** Element (row, column). */
  public double get(int row, int column) {
    return p[row * 4 + column];
  }

  /** Horizontal focal length P[0][0] in pixels. */
  public double fx() {
    return p[0];
  }

  /** Principal point x, P[0][2]. */
  public double cx() {
    return p[2];
  }

  /** The 12 values, row-major (a copy). */
  @Override
  public double[] p() {
    return p.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CameraCalibration c && Arrays.equals(p, c.p);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(p);
  }

  @Override
  public String toString() {
    return "CameraCalibration" + Arrays.toString(p);
  }
}
