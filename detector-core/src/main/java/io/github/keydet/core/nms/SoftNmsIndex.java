package io.github.keydet.core.nms;

import io.github.keydet.api.BoundingBox;
import java.util.Arrays;

/**
 * The boxes not yet selected or dropped, sorted by x1, so that a step only looks at boxes whose x-range can
 * meet the selected box's. Coordinates are copied in that order for locality; rebuilt smaller when most
 * entries are dead.
 */
final class SoftNmsIndex {
  private final int[] box;
  private final float[] ix1;
  private final float[] iy1;
  private final float[] ix2;
  private final float[] iy2;
  private int size;
  /** Widest box in the index, so that {@code x2 > tx1} implies {@code x1 > tx1 - maxWidth}. */
  private double maxWidth;
  /** Whether overlaps are the Cython originals' ({@code + 1} on widths and heights, float arithmetic). */
  private final boolean plusOne;
  /**
   * How far apart (in coordinates) two boxes may be and still overlap: 0 for the SDK's overlap; with {@code +1} a
   * gap below 1 still overlaps, and the bound leaves room for float rounding at the largest coordinate.
   */
  private final double reach;

  SoftNmsIndex(float[] x1, float[] y1, float[] x2, float[] y2, boolean plusOne) {
    this.plusOne = plusOne;
    int n = x1.length;
    long[] keys = new long[n];
    for (int b = 0; b < n; b++) {
      keys[b] = ((long) sortableBits(x1[b]) << 32) | b;
    }
    Arrays.sort(keys);
    box = new int[n];
    ix1 = new float[n];
    iy1 = new float[n];
    ix2 = new float[n];
    iy2 = new float[n];
    double widest = 0;
    for (int k = 0; k < n; k++) {
      int b = (int) keys[k];
      box[k] = b;
      ix1[k] = x1[b];
      iy1[k] = y1[b];
      ix2[k] = x2[b];
      iy2[k] = y2[b];
      widest = Math.max(widest, (double) x2[b] - (double) x1[b]);
    }
    size = n;
    maxWidth = widest;
    double largest = 0;
    for (int b = 0; plusOne && b < n; b++) {
      largest = Math.max(largest, Math.max(Math.max(Math.abs(x1[b]), Math.abs(x2[b])),
          Math.max(Math.abs(y1[b]), Math.abs(y2[b]))));
    }
    reach = plusOne ? 2 + 1e-5 * largest : 0;
  }

  /** An int whose signed order is the order of finite float values. */
  private static int sortableBits(float v) {
    int bits = Float.floatToIntBits(v + 0f); // + 0f turns -0 into +0
    return bits >= 0 ? bits : bits ^ 0x7fffffff;
  }

  /**
   * Fills {@code hits} with the live boxes after row {@code i} that the given box touches (the SDK's IoU above 0,
   * or, with {@code +1}, {@link #overlapPlusOne} defined), and {@code ovOf} with those overlaps; returns how many.
   */
  int overlapping(
      float tx1, float ty1, float tx2, float ty2, int[] rowOf, int i, int n, int[] hits, float[] ovOf) {
    // x1 > tx1 - maxWidth, widened so that rounding never excludes a candidate
    double lowX = (double) tx1 - maxWidth - reach;
    lowX -= Math.abs(lowX) * 1e-9 + Double.MIN_NORMAL;
    double highX = tx2 + reach;
    float tArea = (tx2 - tx1 + 1f) * (ty2 - ty1 + 1f); // read by the +1 overlap only
    int m = 0;
    for (int k = firstAbove(lowX); k < size && ix1[k] < highX; k++) {
      // non-short-circuit | makes the usual miss one branch
      if (ix2[k] <= tx1 - reach | iy1[k] >= ty2 + reach | iy2[k] <= ty1 - reach) {
        continue;
      }
      int b = box[k];
      int r = rowOf[b];
      if (r <= i || r >= n) {
        continue;
      }
      float ov = plusOne ? overlapPlusOne(tx1, ty1, tx2, ty2, tArea, k)
          : (float) BoundingBox.iou(tx1, ty1, tx2, ty2, ix1[k], iy1[k], ix2[k], iy2[k]);
      // the original only touches boxes that intersect (iw > 0 and ih > 0); NaN: they do not
      if (plusOne ? ov == ov : ov > 0f) {
        hits[m++] = b;
        ovOf[b] = ov;
      }
    }
    return m;
  }

  /**
   * The Cython originals' overlap of the selected box with entry {@code k}: {@code iw = min(x2) - max(x1) + 1}, the
   * box touched when {@code iw > 0} and then {@code ih > 0}, {@code ov = iw * ih / ua}, all in float arithmetic as
   * their C code (Java's float operations are IEEE's, so the values are the same bits); NaN when not touched.
   */
  private float overlapPlusOne(float tx1, float ty1, float tx2, float ty2, float tArea, int k) {
    float iw = Math.min(tx2, ix2[k]) - Math.max(tx1, ix1[k]) + 1f;
    if (!(iw > 0f)) {
      return Float.NaN;
    }
    float ih = Math.min(ty2, iy2[k]) - Math.max(ty1, iy1[k]) + 1f;
    if (!(ih > 0f)) {
      return Float.NaN;
    }
    float area = (ix2[k] - ix1[k] + 1f) * (iy2[k] - iy1[k] + 1f);
    float ua = tArea + area - iw * ih;
    return iw * ih / ua;
  }

  /** First entry whose x1 is greater than {@code v}. */
  private int firstAbove(double v) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ix1[mid] > v) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Removes selected and dropped boxes once they are more than half of the index. */
  void compactIfSparse(int[] rowOf, int i, int n) {
    int live = n - i - 1;
    if (size < 64 || 2 * live > size) {
      return;
    }
    int k = 0;
    double widest = 0;
    for (int e = 0; e < size; e++) {
      int r = rowOf[box[e]];
      if (r > i && r < n) {
        box[k] = box[e];
        ix1[k] = ix1[e];
        iy1[k] = iy1[e];
        ix2[k] = ix2[e];
        iy2[k] = iy2[e];
        widest = Math.max(widest, (double) ix2[k] - (double) ix1[k]);
        k++;
      }
    }
    size = k;
    maxWidth = widest;
  }
}
