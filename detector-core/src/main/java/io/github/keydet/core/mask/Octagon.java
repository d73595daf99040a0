package io.github.keydet.core.mask;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.Candidate;

/**
 * ExtremeNet's octagon mask: the polygon through the four extreme points, each extended along its box edge.
 *
 * <p>Rule (ExtremeNet {@code utils/visualize.py get_octagon}): with the box {@code (l_x, t_y, r_x, b_y)} spanned by
 * the extreme points, {@code w = r_x - l_x} and {@code h = b_y - t_y}, the top and bottom points are extended by
 * {@code w / 8} to each side horizontally and the left and right points by {@code h / 8} up and down (a segment
 * of 1/4 of the edge in all), each end clipped to the box. The eight vertices, in order:
 * {@code (t_x + w/8, t_y), (t_x - w/8, t_y), (l_x, l_y - h/8), (l_x, l_y + h/8), (b_x - w/8, b_y),
 * (b_x + w/8, b_y), (r_x, r_y + h/8), (r_x, r_y - h/8)} (counter-clockwise on screen). Computed in float.
 *
 * <p>The array is owned by the octagon and must not be modified.
 *
 * @param vertices 8 vertices as 16 floats (x, y)
 */
public record Octagon(float[] vertices) {
  /** Checks the vertex count. */
  public Octagon {
    if (vertices == null || vertices.length != 16) {
      throw new InvalidInputException(
          "an octagon has 16 coordinates, got " + (vertices == null ? "null" : vertices.length));
    }
  }

  /**
   * The octagon of four extreme points.
   *
   * @param tlbr (x, y) of the top, left, bottom and right points, 8 floats
   * @throws InvalidInputException unless there are 8 finite coordinates
   */
  public static Octagon fromExtremePoints(float[] tlbr) {
    if (tlbr == null || tlbr.length != 8) {
      throw new InvalidInputException(
          "need 4 extreme points (t, l, b, r) as 8 floats, got " + (tlbr == null ? "null" : tlbr.length));
    }
    for (float v : tlbr) {
      if (!Float.isFinite(v)) {
        throw new InvalidInputException("extreme points must be finite, got " + java.util.Arrays.toString(tlbr));
      }
    }
    float tx = tlbr[0];
    float ty = tlbr[1];
    float lx = tlbr[2];
    float ly = tlbr[3];
    float bx = tlbr[4];
    float by = tlbr[5];
    float rx = tlbr[6];
    float ry = tlbr[7];
    float w = rx - lx;
    float h = by - ty;
    float dx = w / 8f;
    float dy = h / 8f;
    return new Octagon(
        new float[] {
          Math.min(tx + dx, rx), ty,
          Math.max(tx - dx, lx), ty,
          lx, Math.max(ly - dy, ty),
          lx, Math.min(ly + dy, by),
          Math.max(bx - dx, lx), by,
          Math.min(bx + dx, rx), by,
          rx, Math.min(ry + dy, by),
          rx, Math.max(ry - dy, ty)
        });
  }

  /** The octagon of an ExtremeNet candidate's four points (t, l, b, r). */
  public static Octagon of(Candidate candidate) {
    if (candidate.pointCount() != 4) {
      throw new InvalidInputException(
          "an octagon needs a candidate with 4 extreme points, got " + candidate.pointCount());
    }
    return fromExtremePoints(candidate.points());
  }

  /** The octagon scaled by {@code sx, sy} and shifted by {@code ox, oy}: {@code (x·sx + ox, y·sy + oy)}. */
  public Octagon transformed(float sx, float sy, float ox, float oy) {
    float[] v = new float[16];
    for (int i = 0; i < 8; i++) {
      v[2 * i] = vertices[2 * i] * sx + ox;
      v[2 * i + 1] = vertices[2 * i + 1] * sy + oy;
    }
    return new Octagon(v);
  }

  /** The rasterised octagon (pixel-center rule, see {@link PolygonRaster}). */
  public BinaryMask rasterize(int width, int height) {
    return PolygonRaster.fill(vertices, width, height);
  }
}
