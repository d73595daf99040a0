package io.github.keydet.core.encode;

import io.github.keydet.api.InvalidInputException;

/**
 * The four extreme points of an object, extracted the way ExtremeNet's annotation tool ({@code
 * tools/gen_coco_extreme_points.py}) does, from polygon vertices or from the pixels of a binary mask.
 *
 * <p>For the top point: among the points (in order, with the last point prepended and the first appended), start at
 * the first one with the smallest y and extend forwards and backwards while y stays within {@code 0.02 * (b - t +
 * 1)} of it; the point is {@code (floor((max x + min x) / 2), t)} over that run. Bottom, left and right likewise
 * (left/right use x and {@code 0.02 * (r - l + 1)}). Coordinates are then truncated to integers. Result order: {@code
 * [t_x, t_y, l_x, l_y, b_x, b_y, r_x, r_y]}, as {@link ObjectAnnotation#extremePoints()} expects. Stateless.
 */
public final class ExtremePoints {
  private static final double THRESH = 0.02;

  private ExtremePoints() {}

  /**
   * From polygon vertices {@code [x0, y0, x1, y1, ...]} (several COCO polygons of one object concatenated, as the
   * tool does).
   *
   * @throws InvalidInputException for an empty or odd-length list or non-finite values
   */
  public static float[] fromPolygon(double[] xy) {
    if (xy.length == 0 || xy.length % 2 != 0) {
      throw new InvalidInputException("polygon needs a non-empty even number of values, got " + xy.length);
    }
    for (double v : xy) {
      if (!Double.isFinite(v)) {
        throw new InvalidInputException("polygon has a non-finite coordinate: " + v);
      }
    }
    return extract(xy);
  }

  /**
   * From a binary mask {@code [height, width]} in row-major order (non-zero = object); the points are the object's
   * pixels in raster order, as {@code np.where(mask > 0)} lists them.
   *
   * @throws InvalidInputException if the mask is empty or its length is not {@code height * width}
   */
  public static float[] fromMask(byte[] mask, int height, int width) {
    if (height <= 0 || width <= 0 || mask.length != (long) height * width) {
      throw new InvalidInputException(
          "mask has " + mask.length + " values, expected " + height + " x " + width);
    }
    int n = 0;
    for (byte b : mask) {
      if (b != 0) {
        n++;
      }
    }
    if (n == 0) {
      throw new InvalidInputException("mask has no foreground pixel");
    }
    double[] xy = new double[2 * n];
    int k = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (mask[y * width + x] != 0) {
          xy[k++] = x;
          xy[k++] = y;
        }
      }
    }
    return extract(xy);
  }

  private static float[] extract(double[] pts) {
    int n = pts.length / 2;
    double l = Double.POSITIVE_INFINITY;
    double t = Double.POSITIVE_INFINITY;
    double r = Double.NEGATIVE_INFINITY;
    double b = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      l = Math.min(l, pts[2 * i]);
      r = Math.max(r, pts[2 * i]);
      t = Math.min(t, pts[2 * i + 1]);
      b = Math.max(b, pts[2 * i + 1]);
    }
    double w = r - l + 1;
    double h = b - t + 1;
    // padded: [last, p0 .. p(n-1), first]
    double[] xs = new double[n + 2];
    double[] ys = new double[n + 2];
    for (int i = 0; i < n; i++) {
      xs[i + 1] = pts[2 * i];
      ys[i + 1] = pts[2 * i + 1];
    }
    xs[0] = xs[n];
    ys[0] = ys[n];
    xs[n + 1] = xs[1];
    ys[n + 1] = ys[1];
    float[] out = new float[8];
    double tx = midOfRun(ys, xs, argExtreme(ys, false), false, THRESH * h);
    double bx = midOfRun(ys, xs, argExtreme(ys, true), true, THRESH * h);
    double ly = midOfRun(xs, ys, argExtreme(xs, false), false, THRESH * w);
    double ry = midOfRun(xs, ys, argExtreme(xs, true), true, THRESH * w);
    out[0] = (int) tx;
    out[1] = (int) t;
    out[2] = (int) l;
    out[3] = (int) ly;
    out[4] = (int) bx;
    out[5] = (int) b;
    out[6] = (int) r;
    out[7] = (int) ry;
    return out;
  }

  private static int argExtreme(double[] v, boolean max) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (max ? v[i] > v[best] : v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** floor((max + min) / 2) of {@code other} over the run around {@code idx} where {@code key} stays near. */
  private static double midOfRun(double[] key, double[] other, int idx, boolean max, double tol) {
    double lo = other[idx];
    double hi = other[idx];
    for (int i = idx + 1; i < key.length && gap(key, idx, i, max) <= tol; i++) {
      lo = Math.min(lo, other[i]);
      hi = Math.max(hi, other[i]);
    }
    for (int i = idx - 1; i >= 0 && gap(key, idx, i, max) <= tol; i--) {
      lo = Math.min(lo, other[i]);
      hi = Math.max(hi, other[i]);
    }
    return Math.floor((hi + lo) / 2);
  }

  private static double gap(double[] key, int idx, int i, boolean max) {
    return max ? key[idx] - key[i] : key[i] - key[idx];
  }
}
