package io.github.keydet.core.segment;

import io.github.keydet.api.InstanceMask;

/**
 * Turns DEXTR's output back into an image mask as ExtremeNet's {@code segment()} does: with the flip test the
 * logits of the mirrored run are mirrored back and averaged, {@code (a + b) / 2}; sigmoid (float32); then
 * DEXTR's {@code crop2fullmask(pred, bbox, zero_pad=True, relax=relax)}: the {@code size x size} map resized
 * (OpenCV cubic) to the relaxed box, the part inside the image and inside the points' own box kept, and
 * thresholded, {@code > threshold}. The threshold applies to the resized probabilities (cubic weights can be
 * negative, so it is no threshold on the logits): {@link #mask} computes the sigmoid of exactly the pixels the
 * resize reads and nothing else.
 *
 * <p>Logits are {@code [size, size]} in network-input pixels; patches and masks are in image pixels. Stateless.
 */
public final class DextrPostprocessor {
  /** Side of the mask tiles {@link #mask} decides or computes at once. */
  static final int TILE = 32;
  /** Bound on the negative part of the 16 cubic weights of one pixel (at most 0.4453125). */
  private static final double NEGATIVE_MASS = 0.4454;
  /** Margin for float rounding (the computed values are within about 1e-6 of the exact sums). */
  private static final double MARGIN = 1e-4;

  private final DextrSettings settings;

  /** A postprocessor for these settings. */
  public DextrPostprocessor(DextrSettings settings) {
    this.settings = settings;
  }

  /**
   * Probabilities {@code [size * size]} from the logits at {@code logits[offset ..]}, averaged with the mirrored
   * logits at {@code flipped[flippedOffset ..]} when {@code flipped} is not null.
   */
  public float[] probabilities(float[] logits, int offset, float[] flipped, int flippedOffset) {
    int n = settings.size();
    float[] p = new float[n * n];
    average(logits, offset, flipped, flippedOffset, 0, 0, n, n, p);
    for (int i = 0; i < p.length; i++) {
      p[i] = sigmoid(p[i]);
    }
    return p;
  }

  /** The float32 sigmoid (monotone: Math.exp is semi-monotonic, the rest rounds monotonically). */
  private static float sigmoid(float v) {
    return 1f / (1f + (float) Math.exp(-v));
  }

  /**
   * The logits of the rectangle {@code [x0, x0 + w) x [y0, y0 + h)} of the map into {@code out [h][w]}, averaged
   * with the mirrored ones, {@code (a + b) / 2}, when {@code flipped} is not null.
   */
  private void average(float[] logits, int offset, float[] flipped, int flippedOffset, int x0, int y0, int w, int h,
      float[] out) {
    int n = settings.size();
    for (int y = 0; y < h; y++) {
      int a = offset + (y0 + y) * n + x0;
      if (flipped == null) {
        System.arraycopy(logits, a, out, y * w, w);
        continue;
      }
      int o = y * w;
      int b = flippedOffset + (y0 + y) * n + n - 1 - x0;
      for (int x = 0; x < w; x++) {
        out[o + x] = (logits[a + x] + flipped[b - x]) / 2f;
      }
    }
  }

  /** The probabilities in image pixels, inside the extreme points' box ({@code crop2fullmask}). */
  public ProbabilityPatch pasteBack(float[] probabilities, DextrCrop crop) {
    int n = settings.size();
    int[] w = window(crop);
    float[] values = w[2] == 0 || w[3] == 0 ? new float[0]
        : CubicResize.resizeFloatWindow(probabilities, 0, 0, n, n, n, crop.cropWidth(), crop.cropHeight(),
            w[0] - crop.x1(), w[1] - crop.y1(), w[2], w[3]);
    return new ProbabilityPatch(crop.imageWidth(), crop.imageHeight(), w[0], w[1], w[2], w[3], values);
  }

  /** The kept part of the relaxed box in image pixels, {@code [x, y, w, h]}: inside the image and the points' box. */
  private static int[] window(DextrCrop crop) {
    int r = crop.relax();
    int bx0 = Math.max(crop.x1() + r, 0);
    int by0 = Math.max(crop.y1() + r, 0);
    int bx1 = Math.min(crop.x2() - r, crop.imageWidth() - 1);
    int by1 = Math.min(crop.y2() - r, crop.imageHeight() - 1);
    return new int[] {bx0, by0, Math.max(0, bx1 - bx0 + 1), Math.max(0, by1 - by0 + 1)};
  }

  /** The mask: pixels whose probability is above the threshold. */
  public InstanceMask threshold(ProbabilityPatch patch) {
    return threshold(patch.imageWidth(), patch.imageHeight(), patch.x(), patch.y(), patch.width(), patch.height(),
        patch.values());
  }

  private InstanceMask threshold(int iw, int ih, int x, int y, int w, int h, float[] v) {
    boolean[] on = new boolean[w * h];
    double t = settings.threshold();
    for (int i = 0; i < on.length; i++) {
      on[i] = v[i] > t;
    }
    return InstanceMask.ofRegion(iw, ih, x, y, w, h, on);
  }

  /**
   * The mask straight from the logits (arguments as {@link #probabilities}), equal to
   * {@code threshold(pasteBack(probabilities(...), crop))}. Only the network-input pixels the paste reads are
   * visited (the points' box and the resize's 2-pixel reach, not the relax margin), in tiles of
   * {@value #TILE} x {@value #TILE} mask pixels; a tile whose source pixels' probabilities lie in
   * {@code [pmin, pmax]} is decided without resizing when the cubic weights cannot carry it across the threshold
   * (they sum to 1 with a negative part of at most 0.4453125, so every value lies within
   * {@code [pmin - 0.4454 (pmax - pmin), pmax + 0.4454 (pmax - pmin)]}; a margin of 1e-4 covers float rounding),
   * else its pixels are computed exactly as {@link #pasteBack} computes them, the sigmoid once per source pixel.
   */
  public InstanceMask mask(float[] logits, int offset, float[] flipped, int flippedOffset, DextrCrop crop) {
    int n = settings.size();
    int[] w = window(crop);
    int ww = w[2];
    int wh = w[3];
    if (ww == 0 || wh == 0) {
      return threshold(crop.imageWidth(), crop.imageHeight(), w[0], w[1], ww, wh, new float[0]);
    }
    int wx = w[0] - crop.x1();
    int wy = w[1] - crop.y1();
    CubicResize.FloatResize resize = new CubicResize.FloatResize(n, n, crop.cropWidth(), crop.cropHeight());
    int[] xs = resize.spanX(wx, ww);
    int[] ys = resize.spanY(wy, wh);
    int sw = xs[1] - xs[0] + 1;
    float[] v = new float[sw * (ys[1] - ys[0] + 1)];
    average(logits, offset, flipped, flippedOffset, xs[0], ys[0], sw, ys[1] - ys[0] + 1, v);
    float[] p = new float[v.length];
    boolean[] done = new boolean[v.length];
    boolean[] on = new boolean[ww * wh];
    float[] values = new float[TILE * TILE];
    float[] range = new float[2];
    double t = settings.threshold();
    for (int ty = 0; ty < wh; ty += TILE) {
      int th = Math.min(TILE, wh - ty);
      int[] sy = resize.spanY(wy + ty, th);
      for (int tx = 0; tx < ww; tx += TILE) {
        int tw = Math.min(TILE, ww - tx);
        int[] sx = resize.spanX(wx + tx, tw);
        int from = (sy[0] - ys[0]) * sw + sx[0] - xs[0];
        int cols = sx[1] - sx[0] + 1;
        int rows = sy[1] - sy[0] + 1;
        if (range(v, from, sw, cols, rows, range)) {
          double pmin = sigmoid(range[0]);
          double pmax = sigmoid(range[1]);
          double reach = NEGATIVE_MASS * (pmax - pmin);
          if (pmax + reach < t - MARGIN) {
            continue; // every pixel at most the threshold
          }
          if (pmin - reach > t + MARGIN) {
            for (int i = 0; i < th; i++) {
              java.util.Arrays.fill(on, (ty + i) * ww + tx, (ty + i) * ww + tx + tw, true);
            }
            continue;
          }
        }
        sigmoidOnce(v, p, done, from, sw, cols, rows);
        resize.window(p, xs[0], ys[0], sw, wx + tx, wy + ty, tw, th, values);
        for (int i = 0; i < th; i++) {
          int o = (ty + i) * ww + tx;
          for (int j = 0; j < tw; j++) {
            on[o + j] = values[i * tw + j] > t;
          }
        }
      }
    }
    return InstanceMask.ofRegion(crop.imageWidth(), crop.imageHeight(), w[0], w[1], ww, wh, on);
  }

  /**
   * The smallest and largest of {@code rows x cols} values from {@code from} (row stride {@code stride}) into
   * {@code range}; false when one is NaN.
   */
  private static boolean range(float[] v, int from, int stride, int cols, int rows, float[] range) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int y = 0; y < rows; y++) {
      int row = from + y * stride;
      for (int x = 0; x < cols; x++) {
        lo = Math.min(lo, v[row + x]);
        hi = Math.max(hi, v[row + x]);
      }
    }
    range[0] = lo;
    range[1] = hi;
    return lo == lo && hi == hi; // Math.min and max keep a NaN
  }

  /** The sigmoid of the logits of a rectangle (as {@link #range}) into {@code p}, each pixel only once. */
  private static void sigmoidOnce(float[] v, float[] p, boolean[] done, int from, int stride, int cols, int rows) {
    for (int y = 0; y < rows; y++) {
      int row = from + y * stride;
      for (int x = 0; x < cols; x++) {
        if (!done[row + x]) {
          p[row + x] = sigmoid(v[row + x]);
          done[row + x] = true;
        }
      }
    }
  }
}
