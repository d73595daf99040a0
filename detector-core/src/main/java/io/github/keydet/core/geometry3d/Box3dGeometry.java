package io.github.keydet.core.geometry3d;

import io.github.keydet.api.Box3D;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import io.github.keydet.core.decode.Object3dValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Lifts a decoded {@code ddd} detection to 3D, as CenterNet's {@code ddd_utils} does: rotation_y from the
 * observation angle and the center's viewing ray, the location from the center and depth, and the 8 corners of
 * the 3D box projected into the image. All inputs in image pixels (the decoder's output-map center must be
 * mapped back to the image first) and metres; computed in double.
 *
 * <p>Corner order (CenterNet's {@code compute_box_3d}, box frame before rotation: x along the length, y down from
 * the bottom face, z along the width): 0 (l/2, 0, w/2), 1 (l/2, 0, -w/2), 2 (-l/2, 0, -w/2), 3 (-l/2, 0, w/2),
 * then 4..7 the same at y = -h (the top face). Stateless.
 */
public final class Box3dGeometry {
  private Box3dGeometry() {}

  /**
   * The full 3D box of one detection. Its alpha is the decoded one wrapped into [-pi, pi] (the decoder's is
   * not, as in the original); rotation_y is computed from the unwrapped one, as the original does.
   *
   * @param values decoded depth, dimensions and observation angle
   * @param centerX 2D center x in image pixels
   * @param centerY 2D center y in image pixels
   * @param calib the image's camera
   */
  public static Box3D lift(Object3dValues values, double centerX, double centerY, CameraCalibration calib) {
    double rotY = rotationY(values.alpha(), centerX, calib);
    double[] loc = location(centerX, centerY, values.depth(), values.height(), calib);
    double[] corners = corners(values.height(), values.width(), values.length(), loc, rotY);
    double[] projected = project(corners, calib);
    List<Keypoint> pts = new ArrayList<>(8);
    for (int i = 0; i < 8; i++) {
      pts.add(new Keypoint((float) projected[2 * i], (float) projected[2 * i + 1], 1f));
    }
    return new Box3D(
        values.depth(),
        values.height(),
        values.width(),
        values.length(),
        (float) wrap(values.alpha()),
        (float) rotY,
        List.of((float) loc[0], (float) loc[1], (float) loc[2]),
        pts);
  }

  /** An angle wrapped once into [-pi, pi] (enough for the decoder's alpha range (-3pi/2, 3pi/2)). */
  static double wrap(double angle) {
    if (angle > Math.PI) {
      return angle - 2 * Math.PI;
    }
    if (angle < -Math.PI) {
      return angle + 2 * Math.PI;
    }
    return angle;
  }

  /**
   * rotation_y = alpha + atan2(x - cx, fx), wrapped once into [-pi, pi] (CenterNet's {@code alpha2rot_y}).
   */
  public static double rotationY(double alpha, double centerX, CameraCalibration calib) {
    double r = alpha + Math.atan2(centerX - calib.cx(), calib.fx());
    if (r > Math.PI) {
      r -= 2 * Math.PI;
    }
    if (r < -Math.PI) {
      r += 2 * Math.PI;
    }
    return r;
  }

  /** The inverse: alpha = rotation_y - atan2(x - cx, fx), wrapped once into [-pi, pi]. */
  public static double alpha(double rotationY, double centerX, CameraCalibration calib) {
    double a = rotationY - Math.atan2(centerX - calib.cx(), calib.fx());
    if (a > Math.PI) {
      a -= 2 * Math.PI;
    }
    if (a < -Math.PI) {
      a += 2 * Math.PI;
    }
    return a;
  }

  /**
   * The 3D point at the given depth on the ray of image point (u, v) (CenterNet's {@code unproject_2d_to_3d}):
   * z = depth - P[2][3], x = (u·depth - P[0][3] - P[0][2]·z) / P[0][0], y likewise with row 1.
   */
  public static double[] unproject(double u, double v, double depth, CameraCalibration calib) {
    double z = depth - calib.get(2, 3);
    double x = (u * depth - calib.get(0, 3) - calib.get(0, 2) * z) / calib.get(0, 0);
    double y = (v * depth - calib.get(1, 3) - calib.get(1, 2) * z) / calib.get(1, 1);
    return new double[] {x, y, z};
  }

  /**
   * The bottom-center location (KITTI's): the unprojected 2D center moved down by half the height
   * (CenterNet's {@code ddd2locrot}).
   */
  public static double[] location(
      double centerX, double centerY, double depth, double height, CameraCalibration calib) {
    double[] p = unproject(centerX, centerY, depth, calib);
    p[1] += height / 2;
    return p;
  }

  /**
   * The 8 corners (x, y, z triples, 24 values) of a box with the given dimensions, bottom-center location and
   * rotation around the camera's y axis; order in the class comment.
   */
  public static double[] corners(
      double height, double width, double length, double[] location, double rotationY) {
    double c = Math.cos(rotationY);
    double s = Math.sin(rotationY);
    double l = length / 2;
    double w = width / 2;
    double[] xs = {l, l, -l, -l, l, l, -l, -l};
    double[] ys = {0, 0, 0, 0, -height, -height, -height, -height};
    double[] zs = {w, -w, -w, w, w, -w, -w, w};
    double[] out = new double[24];
    for (int i = 0; i < 8; i++) {
      out[3 * i] = c * xs[i] + s * zs[i] + location[0];
      out[3 * i + 1] = ys[i] + location[1];
      out[3 * i + 2] = -s * xs[i] + c * zs[i] + location[2];
    }
    return out;
  }

  /**
   * Projects 3D points (x, y, z triples) into the image: (u, v) pairs, u = (P·X)_0 / (P·X)_2.
   *
   * @throws InvalidInputException if the number of values is not a multiple of 3
   */
  public static double[] project(double[] points3d, CameraCalibration calib) {
    if (points3d.length % 3 != 0) {
      throw new InvalidInputException("3D points must be (x, y, z) triples, got " + points3d.length + " values");
    }
    int count = points3d.length / 3;
    double[] out = new double[2 * count];
    for (int i = 0; i < count; i++) {
      double x = points3d[3 * i];
      double y = points3d[3 * i + 1];
      double z = points3d[3 * i + 2];
      double u = calib.get(0, 0) * x + calib.get(0, 1) * y + calib.get(0, 2) * z + calib.get(0, 3);
      double v = calib.get(1, 0) * x + calib.get(1, 1) * y + calib.get(1, 2) * z + calib.get(1, 3);
      double d = calib.get(2, 0) * x + calib.get(2, 1) * y + calib.get(2, 2) * z + calib.get(2, 3);
      out[2 * i] = u / d;
      out[2 * i + 1] = v / d;
    }
    return out;
  }
}
