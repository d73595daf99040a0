package io.github.keydet.core.decode;

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
    Selector s = new Selector(heat, n, k, kernel, activation);
    s.scan();
    return s.result();
  }

  /** Mutable scan state; one per call, never shared. */
  private static final class Selector {
    private final HeadView heat;
    private final FloatBuffer buf;
    /** The heap array behind {@code buf}, or null for a direct buffer. */
    private final float[] arr;
    private final int arrOff;
    private final int k;
    private final int radius;
    private final Activation activation;
    private final int n;
    private final int h;
    private final int w;
    private final int channels;
    // min-heap on (value asc, order desc): the root is the worst kept entry
    private final float[] heapVal;
    private final long[] heapOrder;
    private final int[] heapC;
    private final int[] heapY;
    private final int[] heapX;
    private int size;
    /** Raw values at or below this cannot enter the heap. */
    private float rawThreshold = Float.NEGATIVE_INFINITY;

    Selector(HeadView heat, int n, int k, int kernel, Activation activation) {
      this.heat = heat;
      this.buf = heat.buffer();
      this.arr = heat.heapArray();
      this.arrOff = heat.arrayOffset();
      this.n = n;
      this.k = k;
      this.radius = (kernel - 1) / 2;
      this.activation = activation;
      this.h = heat.height();
      this.w = heat.width();
      this.channels = heat.channels();
      heapVal = new float[k];
      heapOrder = new long[k];
      heapC = new int[k];
      heapY = new int[k];
      heapX = new int[k];
    }

    /** Raw value at a buffer index. */
    private float at(int i) {
      return arr != null ? arr[arrOff + i] : buf.get(i);
    }

    /**
     * One pass over the image's C·H·W values in memory order. While the heap is full, a tight loop skips every
     * value not above the raw threshold (NaN is never skipped: {@code NaN <= t} is false).
     */
    void scan() {
      int start = heat.index(n, 0, 0, 0);
      int end = start + channels * h * w;
      boolean nchw = heat.layout() == Layout.NCHW;
      int plane = h * w;
      int i = start;
      while (i < end) {
        if (size == k) {
          float thr = rawThreshold;
          if (arr != null) {
            i = skipArray(arr, arrOff + i, arrOff + end, thr) - arrOff;
          } else {
            i = skipBuffer(buf, i, end, thr);
          }
          if (i >= end) {
            break;
          }
        }
        int rel = i - start;
        int c;
        int y;
        int x;
        if (nchw) {
          c = rel / plane;
          int r = rel - c * plane;
          y = r / w;
          x = r - y * w;
        } else {
          int pixel = rel / channels;
          c = rel - pixel * channels;
          y = pixel / w;
          x = pixel - y * w;
        }
        consider(at(i), c, y, x, rel);
        i++;
      }
    }

    /**
     * The first index in [from, to) whose value is not {@code <= thr} (NaN included), or {@code to}. Blocks of 8
     * are tested with non-short-circuit {@code &}: one well-predicted branch per block.
     */
    private static int skipArray(float[] a, int from, int to, float thr) {
      int j = from;
      while (j + 8 <= to
          && (a[j] <= thr & a[j + 1] <= thr & a[j + 2] <= thr & a[j + 3] <= thr
              & a[j + 4] <= thr & a[j + 5] <= thr & a[j + 6] <= thr & a[j + 7] <= thr)) {
        j += 8;
      }
      while (j < to && a[j] <= thr) {
        j++;
      }
      return j;
    }

    /** As {@link #skipArray} on a (direct) buffer. */
    private static int skipBuffer(FloatBuffer b, int from, int to, float thr) {
      int j = from;
      while (j + 8 <= to
          && (b.get(j) <= thr & b.get(j + 1) <= thr & b.get(j + 2) <= thr & b.get(j + 3) <= thr
              & b.get(j + 4) <= thr & b.get(j + 5) <= thr & b.get(j + 6) <= thr & b.get(j + 7) <= thr)) {
        j += 8;
      }
      while (j < to && b.get(j) <= thr) {
        j++;
      }
      return j;
    }

    private void consider(float raw, int c, int y, int x, long myOrder) {
      if (Float.isNaN(raw)) {
        throw new InvalidInputException(
            "NaN in heatmap '" + heat.name() + "' at batch " + n + ", channel " + c + ", y " + y + ", x " + x);
      }
      float value = activation.apply(raw);
      boolean peak = isPeak(value, c, y, x);
      float kept = peak ? value : 0f;
      if (size < k) {
        push(kept, myOrder, c, y, x);
      } else if (kept > heapVal[0]) {
        replaceRoot(kept, myOrder, c, y, x);
      } else {
        return;
      }
      updateThreshold();
    }

    private boolean isPeak(float value, int c, int y, int x) {
      if (radius == 0) {
        return true;
      }
      int center = heat.index(n, c, y, x);
      int sx = heat.strideX();
      int sy = heat.strideY();
      int x0 = Math.max(0, x - radius);
      int count = Math.min(w - 1, x + radius) - x0 + 1;
      int rowStart = center + (x0 - x) * sx;
      // the pixel's own row first: it was just streamed through, so it is in cache, and in a blob a larger
      // horizontal neighbour ends the check early
      if (!rowAtMost(value, rowStart, count, sx)) {
        return false;
      }
      int y0 = Math.max(0, y - radius);
      int y1 = Math.min(h - 1, y + radius);
      for (int yy = y0; yy <= y1; yy++) {
        if (yy != y && !rowAtMost(value, rowStart + (yy - y) * sy, count, sx)) {
          return false;
        }
      }
      return true;
    }

    /** Whether {@code value >= } each of {@code count} (activated) values from buffer index {@code i} by {@code step}. */
    private boolean rowAtMost(float value, int i, int count, int step) {
      boolean logits = activation == Activation.LOGITS;
      for (int q = 0; q < count; q++, i += step) {
        float nb = at(i);
        if (logits) {
          nb = Activation.sigmoid(nb);
        }
        if (!(value >= nb)) {
          return false;
        }
      }
      return true;
    }

    private void updateThreshold() {
      if (size < k) {
        rawThreshold = Float.NEGATIVE_INFINITY;
        return;
      }
      float rootVal = heapVal[0];
      if (rootVal == 0f) {
        // A suppressed pixel (or a zero peak) is the worst kept: any raw value that activates to <= 0 loses.
        rawThreshold = activation == Activation.LOGITS ? Float.NEGATIVE_INFINITY : 0f;
      } else {
        // The raw value of the root itself: anything not above it cannot beat the root's activated value.
        rawThreshold = at(heat.index(n, heapC[0], heapY[0], heapX[0]));
      }
    }

    private boolean worse(int i, int j) {
      // entry i is worse than entry j
      return heapVal[i] < heapVal[j] || (heapVal[i] == heapVal[j] && heapOrder[i] > heapOrder[j]);
    }

    private void push(float v, long ord, int c, int y, int x) {
      int i = size++;
      set(i, v, ord, c, y, x);
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

    private void replaceRoot(float v, long ord, int c, int y, int x) {
      set(0, v, ord, c, y, x);
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

    private void set(int i, float v, long ord, int c, int y, int x) {
      heapVal[i] = v;
      heapOrder[i] = ord;
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
      int t = heapC[i];
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
