package io.github.keydet.core.segment;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.Keypoint;
import java.util.List;

/**
 * Builds DEXTR's network input for one object as ExtremeNet's {@code dextr.py segment()} does with DEXTR's
 * {@code helpers.py}: the points are truncated to integers; {@code get_bbox(points, pad=relax, zero_pad=True)};
 * {@code crop_from_bbox} with zero padding; {@code fixed_resize} to {@code size x size} (OpenCV cubic, or
 * nearest when every crop value is 0 or 1, as upstream picks); the points moved into the crop and scaled,
 * {@code int(size * p / crop side)}; {@code make_gt} (the maximum of one Gaussian {@code exp(-4 ln 2 d^2 / sigma^2)}
 * per point) normalised to 0..255 by {@code cstm_normalize}.
 *
 * <p>The input is {@code [4, size, size]} (channels R, G, B, heat; values 0..255; NCHW without the batch axis).
 * Points are (x, y) in image pixels. Stateless and thread-safe.
 */
public final class DextrPreprocessor {
  /** Exponents below this give a float32 zero: {@code (float) exp(-104) == 0}. */
  private static final double ZERO_EXPONENT = -104.0;
  private static final double C = -4 * Math.log(2);

  private final DextrSettings settings;
  /** Radius beyond which a point's Gaussian is a float32 zero. */
  private final int radius;
  /**
   * One point's Gaussian {@code [2r+1][2r+1]} around its centre, each value computed as upstream (float64 exp of
   * the squared distance, cast to float32), once per settings instead of once per pixel and object.
   */
  private final float[] gaussian;

  /** A preprocessor for these settings. */
  public DextrPreprocessor(DextrSettings settings) {
    this.settings = settings;
    double s2 = settings.sigma() * settings.sigma();
    this.radius = (int) Math.ceil(Math.sqrt(ZERO_EXPONENT / C * s2)) + 1;
    int side = 2 * radius + 1;
    this.gaussian = new float[side * side];
    for (int dy = -radius; dy <= radius; dy++) {
      for (int dx = -radius; dx <= radius; dx++) {
        double t = C * ((double) dx * dx + (double) dy * dy) / s2;
        gaussian[(dy + radius) * side + dx + radius] = t >= ZERO_EXPONENT ? (float) Math.exp(t) : 0f;
      }
    }
  }

  /** The settings. */
  public DextrSettings settings() {
    return settings;
  }

  /** Floats of one object's input, {@code 4 * size * size}. */
  public int inputLength() {
    return 4 * settings.size() * settings.size();
  }

  /**
   * The 4 points as integers {@code [x0, y0, ..., x3, y3]} (truncated, as ExtremeNet's {@code int32} cast).
   *
   * @throws InvalidInputException when there are not exactly 4 points, one is null or not finite, or one lies
   *     outside the image ({@code 0 <= x < width}, {@code 0 <= y < height})
   */
  public static int[] checkPoints(List<Keypoint> points, int width, int height) {
    if (points == null || points.size() != 4) {
      throw new InvalidInputException("DEXTR needs exactly 4 extreme points (x, y), got "
          + (points == null ? "null" : points.size()));
    }
    int[] p = new int[8];
    for (int i = 0; i < 4; i++) {
      Keypoint k = points.get(i);
      if (k == null) {
        throw new InvalidInputException("extreme point " + i + " is null");
      }
      if (!Float.isFinite(k.x()) || !Float.isFinite(k.y())) {
        throw new InvalidInputException("extreme point " + i + " (x=" + k.x() + ", y=" + k.y()
            + ") is not a finite number");
      }
      if (k.x() < 0 || k.x() >= width || k.y() < 0 || k.y() >= height) {
        throw new InvalidInputException("extreme point " + i + " (x=" + k.x() + ", y=" + k.y()
            + ") is outside the image " + width + "x" + height + ": x must be in [0, " + width + "), y in [0, "
            + height + ")");
      }
      p[2 * i] = (int) k.x();
      p[2 * i + 1] = (int) k.y();
    }
    return p;
  }

  /**
   * Writes one object's input {@code [4, size, size]} into {@code dst} from {@code offset}.
   *
   * @param rgb the image as interleaved 8-bit RGB, row-major {@code [height * width * 3]}
   * @return where the crop came from, for {@link DextrPostprocessor}
   */
  public DextrCrop prepare(byte[] rgb, int width, int height, List<Keypoint> points, float[] dst, int offset) {
    return prepare(rgb, width, height, points, dst, offset, -1);
  }

  /**
   * Writes one object's input {@code [4, size, size]} into {@code dst} from {@code offset} and, when
   * {@code mirrorOffset >= 0}, the same input mirrored left to right (the flip test's second item, the original's
   * {@code inputs[:, :, :, ::-1]}) from {@code mirrorOffset}, each row while it is still in the cache.
   *
   * @param rgb the image as interleaved 8-bit RGB, row-major {@code [height * width * 3]}
   * @return where the crop came from, for {@link DextrPostprocessor}
   */
  public DextrCrop prepare(byte[] rgb, int width, int height, List<Keypoint> points, float[] dst, int offset,
      int mirrorOffset) {
    if (rgb == null || rgb.length != (long) width * height * 3) {
      throw new InvalidInputException("RGB image must hold " + width + " x " + height + " x 3 bytes, got "
          + (rgb == null ? "null" : rgb.length));
    }
    int[] p = checkPoints(points, width, height);
    int relax = settings.relax();
    int minX = Math.min(Math.min(p[0], p[2]), Math.min(p[4], p[6]));
    int minY = Math.min(Math.min(p[1], p[3]), Math.min(p[5], p[7]));
    int maxX = Math.max(Math.max(p[0], p[2]), Math.max(p[4], p[6]));
    int maxY = Math.max(Math.max(p[1], p[3]), Math.max(p[5], p[7]));
    int x1 = minX - relax;
    int y1 = minY - relax;
    int x2 = maxX + relax;
    int y2 = maxY + relax;
    int cw = x2 - x1 + 1;
    int ch = y2 - y1 + 1;
    int n = settings.size();
    int plane = n * n;
    // crop_from_bbox(zero_pad=True) + fixed_resize, without copying the crop
    if (zeroOrOne(rgb, width, height, x1, y1, x2, y2)) {
      CubicResize.resizeCropBytesNearest(rgb, width, height, 3, x1, y1, cw, ch, n, n, dst, offset, mirrorOffset);
    } else {
      CubicResize.resizeCropBytes(rgb, width, height, 3, x1, y1, cw, ch, n, n, dst, offset, mirrorOffset);
    }
    int[] q = new int[8];
    for (int i = 0; i < 4; i++) {
      q[2 * i] = (int) ((double) (n * (p[2 * i] - minX + relax)) * (1.0 / cw));
      q[2 * i + 1] = (int) ((double) (n * (p[2 * i + 1] - minY + relax)) * (1.0 / ch));
    }
    heat(q, dst, offset + 3 * plane, mirrorOffset < 0 ? -1 : mirrorOffset + 3 * plane);
    return new DextrCrop(width, height, x1, y1, x2, y2, relax, q);
  }

  /** Upstream's {@code ((crop == 0) | (crop == 1)).all()}: the zero padding counts as 0. */
  private static boolean zeroOrOne(byte[] rgb, int width, int height, int x1, int y1, int x2, int y2) {
    for (int y = Math.max(0, y1); y <= Math.min(height - 1, y2); y++) {
      for (int i = (y * width + Math.max(0, x1)) * 3; i < (y * width + Math.min(width - 1, x2) + 1) * 3; i++) {
        if ((rgb[i] & 0xff) > 1) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code cstm_normalize(make_gt(...), 255)} into one plane (and its mirror when {@code mirrorOff >= 0}): float64
   * Gaussians, cast to float32, the maximum over the points, then scaled. Only the points' squares of radius
   * {@link #radius} are visited: every other pixel is 0, which is the plane's minimum whenever one is left
   * uncovered, and then scales to 0.
   */
  private void heat(int[] q, float[] dst, int off, int mirrorOff) {
    int n = settings.size();
    int r = radius;
    int side = 2 * r + 1;
    java.util.Arrays.fill(dst, off, off + n * n, 0f);
    int[] from = new int[4];
    int[] to = new int[4];
    long covered = 0;
    float mx = Float.NEGATIVE_INFINITY;
    for (int y = 0; y < n; y++) {
      int spans = 0;
      int row = off + y * n;
      for (int i = 0; i < 4; i++) {
        int px = q[2 * i];
        int py = q[2 * i + 1];
        if (y < py - r || y > py + r) {
          continue;
        }
        int a = Math.max(0, px - r);
        int b = Math.min(n - 1, px + r);
        int g = (y - py + r) * side + r - px;
        for (int x = a; x <= b; x++) {
          float v = gaussian[g + x];
          if (v > dst[row + x]) {
            dst[row + x] = v;
          }
        }
        spans = addSpan(from, to, spans, a, b);
      }
      for (int s = 0; s < spans; s++) {
        covered += to[s] - from[s] + 1;
        for (int x = from[s]; x <= to[s]; x++) {
          mx = Math.max(mx, dst[row + x]);
        }
      }
    }
    boolean full = covered == (long) n * n;
    float mn = 0f;
    if (full) { // no pixel left at 0: the minimum needs the whole plane
      mn = Float.POSITIVE_INFINITY;
      for (int i = off; i < off + n * n; i++) {
        mn = Math.min(mn, dst[i]);
      }
    }
    float den = Math.max(mx - mn, 1e-8f);
    if (mirrorOff >= 0) {
      java.util.Arrays.fill(dst, mirrorOff, mirrorOff + n * n, 0f);
    }
    for (int y = 0; y < n; y++) {
      int spans = 0;
      if (full) {
        spans = addSpan(from, to, 0, 0, n - 1);
      } else {
        for (int i = 0; i < 4; i++) {
          int py = q[2 * i + 1];
          if (y >= py - r && y <= py + r) {
            spans = addSpan(from, to, spans, Math.max(0, q[2 * i] - r), Math.min(n - 1, q[2 * i] + r));
          }
        }
      }
      int row = off + y * n;
      for (int s = 0; s < spans; s++) {
        for (int x = from[s]; x <= to[s]; x++) {
          dst[row + x] = 255f * (dst[row + x] - mn) / den;
        }
        if (mirrorOff >= 0) {
          CubicResize.reverse(dst, row + from[s], dst, mirrorOff + y * n + n - 1 - to[s], to[s] - from[s] + 1);
        }
      }
    }
  }

  /**
   * Adds {@code [a, b]} to the {@code count} disjoint, unordered spans {@code [from[s], to[s]]} (at most 3),
   * merging the ones it overlaps or touches; returns the new count.
   */
  private static int addSpan(int[] from, int[] to, int count, int a, int b) {
    int k = 0;
    for (int s = 0; s < count; s++) {
      if (from[s] <= b + 1 && a <= to[s] + 1) {
        a = Math.min(a, from[s]);
        b = Math.max(b, to[s]);
      } else {
        from[k] = from[s];
        to[k] = to[s];
        k++;
      }
    }
    from[k] = a;
    to[k] = b;
    return k + 1;
  }
}
