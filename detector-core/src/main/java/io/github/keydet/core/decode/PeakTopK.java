package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;

/**
 * Heatmap peak NMS fused with top-K selection, in one pass over the heatmap.
 *
 * <p>Semantics are those of the original decoders: a pixel keeps its (activated) value when it equals the
 * maximum of its {@code kernel x kernel} window (borders padded with -inf, so every element of a plateau of
 * equal maxima survives) and becomes 0 otherwise; the K largest of the resulting C·H·W values are returned,
 * best first (CenterNet's per-class-then-overall top-K selects the same set). Ties are broken by memory order,
 * earlier first.
 *
 * <p>Why fused: the NMS'd heatmap is never materialised. A pixel whose raw value cannot beat the current K-th
 * best is skipped with one comparison; only the few that can are checked against their window. NaN values
 * always take the slow path, where they are rejected.
 *
 * <p>With logits the window test compares raw logits, not sigmoids: the float sigmoid is monotone, so a logit at
 * least as large as every neighbour's is a peak, and a smaller one is not, unless the two float sigmoids round
 * to the same value (saturation, or logits closer than the sigmoid's float resolution), which the original's
 * sigmoid-then-maxpool treats as a plateau. Only then are both sigmoids computed and compared; a neighbour whose
 * logit is larger by more than {@link #distinctGap} is known to have a strictly larger float sigmoid. The
 * sigmoid of a pixel is computed only when it is a peak that can enter the top K.
 */
public final class PeakTopK {
  private PeakTopK() {}

  /**
   * Selects the top-K peaks over all channels of batch item {@code n}.
   *
   * @param heat the heatmap view, probabilities or logits
   * @param n batch index
   * @param k number of peaks, at most C·H·W... and, as in the original per-class top-K, at most H·W
   * @param kernel peak-NMS window (odd; 1 = no suppression)
   * @param activation whether the values still need the sigmoid
   * @throws InvalidInputException on NaN in the heatmap, or when K exceeds H·W
   */
  public static Peaks select(HeadView heat, int n, int k, int kernel, Activation activation) {
    DecodeChecks.requirePositiveK(k);
    DecodeChecks.requireOddKernel(kernel);
    int channels = heat.channels();
    int h = heat.height();
    int w = heat.width();
    if ((long) k > (long) h * w) {
      throw new InvalidInputException(
          "K = " + k + " exceeds the " + h + "x" + w + " = " + (h * w) + " cells of heatmap '" + heat.name() + "'");
    }
    if (n < 0 || n >= heat.batch()) {
      throw new InvalidInputException("batch index " + n + " outside heatmap '" + heat.name() + "' of batch " + heat.batch());
    }
    Selector s = new Selector(heat, n, k, kernel, activation, Float.NEGATIVE_INFINITY);
    s.scanImage();
    return s.result();
  }

  /**
   * Selects the top-K peaks of one channel of batch item {@code n} (CenterNet's {@code _topk_channel}), reading
   * the view in place; classes are all {@code c}. Ties are broken by {@code y·W + x}, earlier first.
   *
   * <p>Pixels whose activated value is at or below {@code floor} are left out entirely (not even as suppressed
   * zeros), so the result can hold fewer than K entries; with {@code floor} -inf it is exactly the top K of the
   * NMS'd channel. Leaving them out lets the scan skip the background with one comparison per pixel. The peaks
   * above {@code floor} and their order are the same either way: a pixel at or below the floor cannot suppress
   * one above it.
   *
   * @param heat the heatmap view, probabilities or logits
   * @param n batch index
   * @param c channel
   * @param k number of peaks, at most H·W
   * @param kernel peak-NMS window (odd; 1 = no suppression)
   * @param activation whether the values still need the sigmoid
   * @param floor activated values at or below it are left out; -inf keeps all (must be -inf or in [0, 1] with
   *     logits)
   * @throws InvalidInputException on NaN in the channel, or when K exceeds H·W
   */
  public static Peaks selectChannel(
      HeadView heat, int n, int c, int k, int kernel, Activation activation, float floor) {
    DecodeChecks.requirePositiveK(k);
    DecodeChecks.requireOddKernel(kernel);
    int h = heat.height();
    int w = heat.width();
    if ((long) k > (long) h * w) {
      throw new InvalidInputException(
          "K = " + k + " exceeds the " + h + "x" + w + " = " + (h * w) + " cells of heatmap '" + heat.name() + "'");
    }
    if (n < 0 || n >= heat.batch()) {
      throw new InvalidInputException("batch index " + n + " outside heatmap '" + heat.name() + "' of batch " + heat.batch());
    }
    if (c < 0 || c >= heat.channels()) {
      throw new InvalidInputException("channel " + c + " outside heatmap '" + heat.name() + "' of " + heat.channels());
    }
    float rawFloor = floor == Float.NEGATIVE_INFINITY ? floor : activation.rawAtMost(floor);
    Selector s = new Selector(heat, n, k, kernel, activation, rawFloor);
    s.scanChannel(c);
    return s.result();
  }

  /** Smallest logit difference, by {@code (int) max(|a|, |b|)}, above which the float sigmoids surely differ. */
  private static final double[] GAP = new double[30];

  static {
    // Exact sigmoid difference >= (b - a) * min sigmoid' on [a, b] >= (b - a) * e^-M / 4 with M = max(|a|, |b|);
    // float values in [0, 1] are at most 2^-24 apart, so an exact difference above 2^-23 survives rounding
    // (and the double computation's ~1e-16 error). Margin 2: require (b - a) > 2^-20 * e^(floor(M) + 1).
    for (int m = 0; m < GAP.length; m++) {
      GAP[m] = Math.scalb(Math.exp(m + 1), -20);
    }
  }

  /**
   * Whether logit {@code a < b} surely has a strictly smaller float sigmoid than {@code b}; false means "maybe
   * not" (or NaN), and the caller compares the sigmoids themselves.
   */
  static boolean distinctGap(float a, float b) {
    float m = Math.max(Math.abs(a), Math.abs(b));
    return m < GAP.length && (double) b - (double) a > GAP[(int) m];
  }

  /** Largest logit whose float sigmoid is 0: logits at or below it activate to 0. */
  private static final float ZERO_LOGIT = Activation.LOGITS.rawAtMost(0f);

  /** Mutable scan state; one per call, never shared. */
  private static final class Selector {
    private final float[] arr;
    private final FloatBuffer buf;
    private final int arrOff;
    private final HeadView heat;
    private final int k;
    private final int radius;
    private final boolean logits;
    private final int n;
    private final int h;
    private final int w;
    private final int channels;
    private final int sx;
    private final int sy;
    /** Scratch for skipping over a direct buffer. */
    private final float[] chunk = new float[512];
    /** Raw values at or below it are left out (-inf: none). */
    private final float floor;
    // min-heap on (value asc, order desc): the root is the worst kept entry
    private final float[] heapVal;
    private final long[] heapOrder;
    private final int[] heapIdx;
    private final int[] heapC;
    private final int[] heapY;
    private final int[] heapX;
    private int size;
    /** Raw values at or below this cannot enter the heap (used while the heap is full, or with a floor). */
    private float rawThreshold;

    Selector(HeadView heat, int n, int k, int kernel, Activation activation, float floor) {
      this.heat = heat;
      this.buf = heat.buffer();
      this.arr = heat.heapArray();
      this.arrOff = heat.arrayOffset();
      this.n = n;
      this.k = k;
      this.radius = (kernel - 1) / 2;
      this.logits = activation == Activation.LOGITS;
      this.h = heat.height();
      this.w = heat.width();
      this.channels = heat.channels();
      this.sx = heat.strideX();
      this.sy = heat.strideY();
      this.floor = floor;
      this.rawThreshold = floor;
      heapVal = new float[k];
      heapOrder = new long[k];
      heapIdx = new int[k];
      heapC = new int[k];
      heapY = new int[k];
      heapX = new int[k];
    }

    /** Raw value at a buffer index. */
    private float at(int i) {
      return arr != null ? arr[arrOff + i] : buf.get(i);
    }

    private boolean skipping() {
      return size == k || floor != Float.NEGATIVE_INFINITY;
    }

    /**
     * One pass over the image's C·H·W values in memory order. While the heap is full, a tight loop skips every
     * value not above the raw threshold (NaN is never skipped: {@code NaN <= t} is false); channel and
     * coordinates are worked out only for the values that are not skipped.
     */
    void scanImage() {
      int start = heat.index(n, 0, 0, 0);
      int len = channels * h * w;
      boolean nchw = heat.layout() == Layout.NCHW;
      int plane = h * w;
      double invPlane = 1.0 / plane;
      double invW = 1.0 / w;
      double invC = 1.0 / channels;
      int q = 0;
      while (q < len) {
        if (skipping()) {
          q = skip(start, q, len, 1, rawThreshold);
          if (q >= len) {
            break;
          }
        }
        int c;
        int pixel;
        if (nchw) {
          c = div(q, plane, invPlane);
          pixel = q - c * plane;
        } else {
          pixel = div(q, channels, invC);
          c = q - pixel * channels;
        }
        int y = div(pixel, w, invW);
        int x = pixel - y * w;
        int idx = start + q;
        float raw = at(idx);
        if (!besideLarger(raw, idx, x)) {
          consider(raw, idx, c, y, x, q);
        }
        q++;
      }
    }

    /** One pass over channel {@code c} in memory order; the order of a pixel is {@code y·W + x}. */
    void scanChannel(int c) {
      int start = heat.index(n, c, 0, 0);
      int step = heat.layout() == Layout.NCHW ? 1 : channels;
      int len = h * w;
      double invW = 1.0 / w;
      int p = 0;
      while (p < len) {
        if (skipping()) {
          p = skip(start, p, len, step, rawThreshold);
          if (p >= len) {
            break;
          }
        }
        int y = div(p, w, invW);
        int x = p - y * w;
        int idx = start + p * step;
        float raw = at(idx);
        if (!besideLarger(raw, idx, x)) {
          consider(raw, idx, c, y, x, p);
        }
        p++;
      }
    }

    /**
     * A cheap early rejection while the heap is full (and its root not negative, so a suppressed 0 cannot enter):
     * whether a horizontal neighbour is surely larger after activation, so the pixel is no peak. These neighbours
     * are in cache; many pixels above the threshold in a blob end here.
     */
    private boolean besideLarger(float raw, int idx, int x) {
      if (radius == 0 || size < k || heapVal[0] < 0f) {
        return false;
      }
      if (x > 0) {
        float nb = at(idx - sx);
        if (nb > raw && (!logits || distinctGap(raw, nb))) {
          return true;
        }
      }
      if (x < w - 1) {
        float nb = at(idx + sx);
        return nb > raw && (!logits || distinctGap(raw, nb));
      }
      return false;
    }

    /** {@code a / b} for {@code 0 <= a < 2^31}, b > 0, without a division: the estimate is off by at most one. */
    private static int div(int a, int b, double invB) {
      int r = (int) (a * invB);
      if ((long) r * b > a) {
        r--;
      } else if ((long) (r + 1) * b <= a) {
        r++;
      }
      return r;
    }

    /**
     * The first position in [from, to) of the run at buffer index {@code rowStart} (elements {@code step}
     * apart) whose value is not {@code <= thr} (NaN included), or {@code to}.
     */
    private int skip(int rowStart, int from, int to, int step, float thr) {
      if (arr != null) {
        int base = arrOff + rowStart;
        return step == 1 ? skipArray(arr, base, from, to, thr) : skipArrayStrided(arr, base, from, to, step, thr);
      }
      return skipBuffer(buf, rowStart, from, to, step, thr);
    }

    /**
     * Blocks of 16 are tested with non-short-circuit {@code &}: one well-predicted branch per block (16 measured
     * ~15% faster than 8).
     */
    private static int skipArray(float[] a, int base, int from, int to, float thr) {
      int j = base + from;
      int end = base + to;
      while (j + 16 <= end
          && (a[j] <= thr & a[j + 1] <= thr & a[j + 2] <= thr & a[j + 3] <= thr
              & a[j + 4] <= thr & a[j + 5] <= thr & a[j + 6] <= thr & a[j + 7] <= thr
              & a[j + 8] <= thr & a[j + 9] <= thr & a[j + 10] <= thr & a[j + 11] <= thr
              & a[j + 12] <= thr & a[j + 13] <= thr & a[j + 14] <= thr & a[j + 15] <= thr)) {
        j += 16;
      }
      while (j < end && a[j] <= thr) {
        j++;
      }
      return j - base;
    }

    private static int skipArrayStrided(float[] a, int base, int from, int to, int step, float thr) {
      int q = from;
      int j = base + from * step;
      while (q < to && a[j] <= thr) {
        q++;
        j += step;
      }
      return q;
    }

    /**
     * As {@link #skipArray} on a (direct) buffer: contiguous runs are bulk-copied into a small heap chunk and
     * skipped there, which is about twice as fast as per-element {@code get}. Chunks start small and double
     * while nothing is found, so closely spaced candidates do not pay for long copies.
     */
    private int skipBuffer(FloatBuffer b, int base, int from, int to, int step, float thr) {
      int q = from;
      if (step == 1) {
        float[] ch = chunk;
        int size = 16;
        while (q < to) {
          int len = Math.min(size, to - q);
          b.get(base + q, ch, 0, len);
          int j = skipArray(ch, 0, 0, len, thr);
          q += j;
          if (j < len) {
            return q;
          }
          size = Math.min(2 * size, ch.length);
        }
        return q;
      }
      int j = base + from * step;
      while (q < to && b.get(j) <= thr) {
        q++;
        j += step;
      }
      return q;
    }

    private void consider(float raw, int idx, int c, int y, int x, long myOrder) {
      if (Float.isNaN(raw)) {
        throw new InvalidInputException(
            "NaN in heatmap '" + heat.name() + "' at batch " + n + ", channel " + c + ", y " + y + ", x " + x);
      }
      boolean peak = radius == 0 || isPeak(raw, idx, y, x);
      if (!peak && size == k && !(0f > heapVal[0])) {
        return; // a suppressed pixel (0) cannot beat the root
      }
      float kept = peak ? (logits ? Activation.sigmoid(raw) : raw) : 0f;
      if (size < k) {
        push(kept, myOrder, idx, c, y, x);
      } else if (kept > heapVal[0]) {
        replaceRoot(kept, myOrder, idx, c, y, x);
      } else {
        return;
      }
      updateThreshold();
    }

    /** Whether the (activated) value at {@code idx} is >= every (activated) value of its window. */
    private boolean isPeak(float raw, int center, int y, int x) {
      int x0 = Math.max(0, x - radius);
      int count = Math.min(w - 1, x + radius) - x0 + 1;
      int rowStart = center + (x0 - x) * sx;
      // the pixel's own row first: it was just streamed through, so it is in cache, and in a blob a larger
      // horizontal neighbour ends the check early
      if (!rowAtMost(raw, rowStart, count)) {
        return false;
      }
      int y0 = Math.max(0, y - radius);
      int y1 = Math.min(h - 1, y + radius);
      for (int yy = y0; yy <= y1; yy++) {
        if (yy != y && !rowAtMost(raw, rowStart + (yy - y) * sy, count)) {
          return false;
        }
      }
      return true;
    }

    /** Whether the activated {@code raw} is >= each of {@code count} activated values from index {@code i}. */
    private boolean rowAtMost(float raw, int i, int count) {
      for (int q = 0; q < count; q++, i += sx) {
        float nb = at(i);
        if (raw >= nb) {
          continue; // monotone activation: the activated values compare the same way
        }
        if (!logits || distinctGap(raw, nb) || !(Activation.sigmoid(raw) >= Activation.sigmoid(nb))) {
          return false; // NaN neighbours end here too
        }
      }
      return true;
    }

    private void updateThreshold() {
      if (size < k) {
        rawThreshold = floor;
        return;
      }
      float rootVal = heapVal[0];
      float t;
      if (rootVal == 0f) {
        // A suppressed pixel (or a zero peak) is the worst kept: any raw value that activates to <= 0 loses.
        t = logits ? ZERO_LOGIT : 0f;
      } else {
        // The raw value of the root itself: anything not above it cannot beat the root's activated value.
        t = at(heapIdx[0]);
      }
      rawThreshold = Math.max(t, floor);
    }

    private boolean worse(int i, int j) {
      // entry i is worse than entry j
      return heapVal[i] < heapVal[j] || (heapVal[i] == heapVal[j] && heapOrder[i] > heapOrder[j]);
    }

    private void push(float v, long ord, int idx, int c, int y, int x) {
      int i = size++;
      set(i, v, ord, idx, c, y, x);
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (worse(i, parent)) {
          swap(i, parent);
          i = parent;
        } else {
          break;
        }
      }
    }

    private void replaceRoot(float v, long ord, int idx, int c, int y, int x) {
      set(0, v, ord, idx, c, y, x);
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < size && worse(l, m)) {
          m = l;
        }
        if (r < size && worse(r, m)) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }

    private void set(int i, float v, long ord, int idx, int c, int y, int x) {
      heapVal[i] = v;
      heapOrder[i] = ord;
      heapIdx[i] = idx;
      heapC[i] = c;
      heapY[i] = y;
      heapX[i] = x;
    }

    private void swap(int i, int j) {
      float v = heapVal[i];
      heapVal[i] = heapVal[j];
      heapVal[j] = v;
      long o = heapOrder[i];
      heapOrder[i] = heapOrder[j];
      heapOrder[j] = o;
      int t = heapIdx[i];
      heapIdx[i] = heapIdx[j];
      heapIdx[j] = t;
      t = heapC[i];
      heapC[i] = heapC[j];
      heapC[j] = t;
      t = heapY[i];
      heapY[i] = heapY[j];
      heapY[j] = t;
      t = heapX[i];
      heapX[i] = heapX[j];
      heapX[j] = t;
    }

    Peaks result() {
      int count = size;
      Integer[] idx = new Integer[count];
      for (int i = 0; i < count; i++) {
        idx[i] = i;
      }
      java.util.Arrays.sort(
          idx,
          (a, b) -> {
            int cmp = Float.compare(heapVal[b], heapVal[a]);
            return cmp != 0 ? cmp : Long.compare(heapOrder[a], heapOrder[b]);
          });
      float[] scores = new float[count];
      int[] cs = new int[count];
      int[] ys = new int[count];
      int[] xs = new int[count];
      for (int i = 0; i < count; i++) {
        int j = idx[i];
        scores[i] = heapVal[j];
        cs[i] = heapC[j];
        ys[i] = heapY[j];
        xs[i] = heapX[j];
      }
      return new Peaks(count, scores, cs, ys, xs);
    }
  }
}
