package io.github.keydet.core.mask;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;

/**
 * Scan-line rasterisation of a simple polygon by the pixel-center rule.
 *
 * <p>Convention: pixel (x, y) covers [x, x + 1) x [y, y + 1) and is set exactly when its center
 * (x + 0.5, y + 0.5) lies inside the polygon by the even-odd rule; a center exactly on an edge counts when the
 * edge is a left or top edge (half-open spans [x_in, x_out) along each row and edges half-open in y), so two
 * polygons sharing an edge never both claim a pixel. This is not pycocotools' rasteriser (which ExtremeNet's
 * visualisation used); the two can differ by a pixel along edges.
 */
public final class PolygonRaster {
  private PolygonRaster() {}

  /**
   * Fills a polygon.
   *
   * @param xy vertices as (x, y) pairs, in order (either orientation), at least 3
   * @param width mask width in pixels
   * @param height mask height in pixels
   * @return the mask; pixels outside the mask area are ignored
   * @throws InvalidInputException on fewer than 3 vertices, an odd coordinate count, NaN, or a negative size
   */
  public static BinaryMask fill(float[] xy, int width, int height) {
    if (xy == null || xy.length < 6 || xy.length % 2 != 0) {
      throw new InvalidInputException(
          "polygon needs at least 3 (x, y) vertices, got " + (xy == null ? "null" : xy.length + " coordinates"));
    }
    if (width < 0 || height < 0) {
      throw new InvalidInputException("mask size must be >= 0, got " + width + " x " + height);
    }
    for (float v : xy) {
      if (!Float.isFinite(v)) {
        throw new InvalidInputException("polygon coordinates must be finite, got " + Arrays.toString(xy));
      }
    }
    boolean[] data = new boolean[width * height];
    int nv = xy.length / 2;
    double[] crossings = new double[nv];
    for (int y = 0; y < height; y++) {
      double yc = y + 0.5;
      int nc = 0;
      for (int i = 0; i < nv; i++) {
        int j = (i + 1) % nv;
        double x0 = xy[2 * i];
        double y0 = xy[2 * i + 1];
        double x1 = xy[2 * j];
        double y1 = xy[2 * j + 1];
        if ((y0 <= yc) != (y1 <= yc)) {
          crossings[nc++] = x0 + (yc - y0) * (x1 - x0) / (y1 - y0);
        }
      }
      Arrays.sort(crossings, 0, nc);
      for (int c = 0; c + 1 < nc; c += 2) {
        // centers x + 0.5 in [xa, xb)
        int from = (int) Math.max(0, Math.ceil(crossings[c] - 0.5));
        int to = (int) Math.min(width, Math.ceil(crossings[c + 1] - 0.5));
        for (int x = from; x < to; x++) {
          data[y * width + x] = true;
        }
      }
    }
    return new BinaryMask(width, height, data);
  }
}
