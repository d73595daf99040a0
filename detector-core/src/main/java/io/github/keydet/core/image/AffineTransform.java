package io.github.keydet.core.image;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;

/**
 * A 2x3 affine map {@code (x, y) -> (m00 x + m01 y + m02, m10 x + m11 y + m12)} from image pixels to target
 * coordinates, in double. {@link #centerScale} reproduces CenterNet's {@code get_affine_transform} (float32 triangles,
 * solved in double like {@code cv2.getAffineTransform}).
 *
 * @param m00 row 0, x coefficient
 * @param m01 row 0, y coefficient
 * @param m02 row 0, translation
 * @param m10 row 1, x coefficient
 * @param m11 row 1, y coefficient
 * @param m12 row 1, translation
 */
public record AffineTransform(double m00, double m01, double m02, double m10, double m11, double m12) {

  /** Rejects non-finite coefficients. */
  public AffineTransform {
    for (double v : new double[] {m00, m01, m02, m10, m11, m12}) {
      if (!Double.isFinite(v)) {
        throw new InvalidConfigException(
            "affine transform has a non-finite coefficient: ["
                + m00 + ", " + m01 + ", " + m02 + "; " + m10 + ", " + m11 + ", " + m12 + "]");
      }
    }
  }

  /** The identity. */
  public static AffineTransform identity() {
    return new AffineTransform(1, 0, 0, 0, 1, 0);
  }

  /** {@code (x, y) -> (sx x, sy y)}. */
  public static AffineTransform scale(double sx, double sy) {
    return new AffineTransform(sx, 0, 0, 0, sy, 0);
  }

  /**
   * CenterNet's {@code get_affine_transform(center, scale, rot, [outW, outH])} (shift 0, not inverted): maps the
   * square of side {@code scale} around {@code (cx, cy)} (only the first scale component is used upstream) onto an
   * {@code outW x outH} map, rotated by {@code rotDegrees}.
   */
  public static AffineTransform centerScale(
      double cx, double cy, double scale, double rotDegrees, int outW, int outH) {
    if (!(scale > 0) || outW <= 0 || outH <= 0 || !Double.isFinite(cx) || !Double.isFinite(cy)) {
      throw new InvalidConfigException(
          "centerScale needs a finite center, scale > 0 and a positive output size, got center=("
              + cx + ", " + cy + "), scale=" + scale + ", output=" + outW + "x" + outH);
    }
    float srcW = (float) scale;
    double rot = Math.PI * rotDegrees / 180;
    double sn = Math.sin(rot);
    double cs = Math.cos(rot);
    double px = 0;
    double py = srcW * -0.5;
    double dirX = px * cs - py * sn;
    double dirY = px * sn + py * cs;
    float[] src = new float[6];
    float[] dst = new float[6];
    src[0] = (float) cx;
    src[1] = (float) cy;
    src[2] = (float) (src[0] + dirX);
    src[3] = (float) (src[1] + dirY);
    dst[0] = outW * 0.5f;
    dst[1] = outH * 0.5f;
    dst[2] = dst[0];
    dst[3] = dst[1] + outW * -0.5f;
    third(src);
    third(dst);
    return fromTriangles(src, dst);
  }

  private static void third(float[] p) {
    float dx = p[0] - p[2];
    float dy = p[1] - p[3];
    p[4] = p[2] - dy;
    p[5] = p[3] + dx;
  }

  /**
   * The affine map taking three source points onto three destination points ({@code cv2.getAffineTransform}).
   *
   * @param src {@code [x0, y0, x1, y1, x2, y2]}
   * @param dst the same for the destination
   */
  public static AffineTransform fromTriangles(float[] src, float[] dst) {
    if (src.length != 6 || dst.length != 6) {
      throw new InvalidInputException(
          "need 3 points (6 values) each, got " + src.length + " and " + dst.length);
    }
    double[][] a = new double[3][3];
    for (int i = 0; i < 3; i++) {
      a[i][0] = src[2 * i];
      a[i][1] = src[2 * i + 1];
      a[i][2] = 1;
    }
    double[] rx = solve3(a, new double[] {dst[0], dst[2], dst[4]});
    double[] ry = solve3(a, new double[] {dst[1], dst[3], dst[5]});
    return new AffineTransform(rx[0], rx[1], rx[2], ry[0], ry[1], ry[2]);
  }

  private static double[] solve3(double[][] a0, double[] b0) {
    double[][] a = new double[3][];
    for (int i = 0; i < 3; i++) {
      a[i] = a0[i].clone();
    }
    double[] b = b0.clone();
    for (int c = 0; c < 3; c++) {
      int piv = c;
      for (int r = c + 1; r < 3; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      if (Math.abs(a[piv][c]) < 1e-300) {
        throw new InvalidInputException("degenerate triangle: the three points are collinear");
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      double tb = b[c];
      b[c] = b[piv];
      b[piv] = tb;
      for (int r = c + 1; r < 3; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < 3; k++) {
          a[r][k] -= f * a[c][k];
        }
        b[r] -= f * b[c];
      }
    }
    double[] x = new double[3];
    for (int r = 2; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < 3; k++) {
        s -= a[r][k] * x[k];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  /**
   * The inverse map.
   *
   * @throws InvalidInputException if the map is singular
   */
  public AffineTransform inverse() {
    double det = m00 * m11 - m01 * m10;
    if (Math.abs(det) < 1e-300) {
      throw new InvalidInputException("affine transform is singular (determinant " + det + ")");
    }
    double i00 = m11 / det;
    double i01 = -m01 / det;
    double i10 = -m10 / det;
    double i11 = m00 / det;
    return new AffineTransform(i00, i01, -(i00 * m02 + i01 * m12), i10, i11, -(i10 * m02 + i11 * m12));
  }

  /** This map followed by {@code (x, y) -> (sx x, sy y)}. */
  public AffineTransform thenScale(double sx, double sy) {
    return new AffineTransform(m00 * sx, m01 * sx, m02 * sx, m10 * sy, m11 * sy, m12 * sy);
  }

  /** Transformed x, computed in double and rounded to float32 as the original stores it. */
  public float applyX(float x, float y) {
    return (float) (m00 * x + m01 * y + m02);
  }

  /** Transformed y, computed in double and rounded to float32 as the original stores it. */
  public float applyY(float x, float y) {
    return (float) (m10 * x + m11 * y + m12);
  }
}
