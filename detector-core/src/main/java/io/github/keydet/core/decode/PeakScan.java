package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Layout;

import io.github.keydet.api.InvalidInputException;
import java.nio.FloatBuffer;

/**
 * The scan behind {@link PeakTopK}: one pass over a heatmap (all channels of an image, or one channel) in memory
 * order, the peak-window test of the values that can enter the top K, and a {@link TopKHeap} of the kept ones.
 * An entry's order is its position in the scan, from which its buffer index, channel and cell are worked out
 * again, so the heap holds nothing else. Arguments are checked by {@link PeakTopK}; mutable, one per call.
 */
final class PeakScan {
  /** Largest logit whose float sigmoid is 0: logits at or below it activate to 0. */
  private static final float ZERO_LOGIT = Activation.LOGITS.rawAtMost(0f);

  /** The heap array read instead of the buffer (the view's own, or a channel copied into scratch), or null. */
  private float[] arr;
  private final FloatBuffer buf;
  private int arrOff;
  private final HeadView heat;
  private final int radius;
  private final boolean logits;
  private final int n;
  private final int h;
  private final int w;
  private final int channels;
  private final int sx;
  private final int sy;
  /** Scratch for skipping over a direct buffer (allocated on first use). */
  private float[] chunk;
  /** Raw values at or below it are left out (-inf: none). */
  private final float floor;
  /**
   * Whether suppressed pixels (value 0 after the peak NMS) are left out: with an activated floor at or above 0
   * they are at or below it. Then a pixel that is no peak is done with, whatever the heap holds.
   */
  private final boolean dropSuppressed;
  /** The kept entries, order = position in the scan: the worst kept is the root. */
  private final TopKHeap heap;
  /** Raw values at or below this cannot enter the heap (used while the heap is full, or with a floor). */
  private float rawThreshold;
  /** Buffer index of scan position 0, and the index step between positions. */
  private int scanStart;
  private int scanStep;
  /** The channel of a one-channel scan; -1 for a whole-image scan. */
  private int scanChannel = -1;

  PeakScan(HeadView heat, int n, int k, int kernel, Activation activation, float floor) {
    this(heat, n, kernel, activation, floor, new TopKHeap(k));
  }

  /** A scan that keeps its entries in {@code heap} (empty, capacity K), a caller's reused one. */
  PeakScan(HeadView heat, int n, int kernel, Activation activation, float floor, TopKHeap heap) {
    this.heat = heat;
    this.buf = heat.buffer();
    this.arr = heat.heapArray();
    this.arrOff = heat.arrayOffset();
    this.n = n;
    this.radius = (kernel - 1) / 2;
    this.logits = activation == Activation.LOGITS;
    this.h = heat.height();
    this.w = heat.width();
    this.channels = heat.channels();
    this.sx = heat.strideX();
    this.sy = heat.strideY();
    this.floor = floor;
    this.dropSuppressed = floor != Float.NEGATIVE_INFINITY && (logits || floor >= 0f);
    this.rawThreshold = floor;
    this.heap = heap;
  }

  /** Raw value at a buffer index. */
  private float at(int i) {
    return arr != null ? arr[arrOff + i] : buf.get(i);
  }

  private boolean skipping() {
    return heap.isFull() || floor != Float.NEGATIVE_INFINITY;
  }

  /**
   * One pass over the image's C·H·W values in memory order. While the heap is full, a tight loop skips every
   * value not above the raw threshold (NaN is never skipped: {@code NaN <= t} is false); channel and coordinates
   * are worked out only for the values that are not skipped.
   */
  PeakScan scanImage() {
    int start = heat.index(n, 0, 0, 0);
    scanStart = start;
    scanStep = 1;
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
    return this;
  }

  /**
   * One pass over channel {@code c} in memory order; the order of a pixel is {@code y·W + x}. A contiguous (NCHW)
   * channel of a buffer-backed view is first bulk-copied into {@code scratch} (when it holds H·W floats); every
   * read of the scan (values, windows, the threshold) stays within the channel, so it reads the copy.
   */
  PeakScan scanChannel(int c, float[] scratch, ChannelRows rows) {
    int start = heat.index(n, c, 0, 0);
    int step = heat.layout() == Layout.NCHW ? 1 : channels;
    scanStart = start;
    scanStep = step;
    scanChannel = c;
    boolean byRuns = step == 1 && dropSuppressed && !logits && radius > 0;
    if (byRuns && rows != null && rows.fits(h, w)) {
      return scanBands(c, start, rows);
    }
    if (scratch == null && rows != null && rows.fits(h, w)) {
      scratch = rows.plane();
    }
    if (arr == null && step == 1 && scratch != null && scratch.length >= h * w) {
      buf.get(start, scratch, 0, h * w);
      arr = scratch;
      arrOff = -start;
    }
    if (byRuns && arr != null) {
      return scanRuns(c, start);
    }
    // row by row, so that a position's row and column need no division
    for (int y = 0; y < h; y++) {
      int rowFrom = y * w;
      int rowEnd = rowFrom + w;
      int p = rowFrom;
      while (p < rowEnd) {
        if (skipping()) {
          p = skip(start, p, rowEnd, step, rawThreshold);
          if (p >= rowEnd) {
            break;
          }
        }
        int x = p - rowFrom;
        int idx = start + p * step;
        float raw = at(idx);
        if (!besideLarger(raw, idx, x)) {
          consider(raw, idx, c, y, x, p);
        }
        p++;
      }
    }
    return this;
  }

  /**
   * {@link #scanChannel} of a contiguous channel in a heap array, for probabilities with a floor (so a pixel that is
   * no peak is left out) and a window wider than 1. The values above the threshold come in short runs (a blob's
   * row): a run is found with one skip and one loop to its end, then each pixel of it is tested without a branch
   * against its horizontal neighbours, and only those not beside a strictly larger one (or NaN, which {@link
   * #consider} rejects) take the window test. The same pixels reach the heap as in the pixel-by-pixel loop, in the
   * same order: a pixel left out has a larger neighbour in its window, so it is no peak. A run ends where a value is
   * at or below the threshold at its start; the threshold may rise within it, and the pixels then below it are
   * offered and refused, as they cannot beat the root.
   */
  private PeakScan scanRuns(int c, int start) {
    float[] a = arr;
    int base = arrOff + start;
    for (int y = 0; y < h; y++) {
      int row = base + y * w;
      int x = 0;
      while (x < w) {
        x = RunSkip.array(a, row, x, w, rawThreshold);
        if (x >= w) {
          break;
        }
        float thr = rawThreshold;
        int end = x + 1;
        while (end < w && !(a[row + end] <= thr)) {
          end++;
        }
        float left = x > 0 ? a[row + x - 1] : Float.NEGATIVE_INFINITY;
        float v = a[row + x];
        for (int q = x; q < end; q++) {
          float right = q + 1 < w ? a[row + q + 1] : Float.NEGATIVE_INFINITY;
          if ((v >= left & v >= right) | v != v) {
            consider(v, start + y * w + q, c, y, q, y * w + q);
          }
          left = v;
          v = right;
        }
        x = end;
      }
    }
    return this;
  }

  /**
   * {@link #scanRuns} over the channel copied into {@code rows}, band by band ({@link ChannelRows}): in each row of
   * a band only the columns whose band maximum is above the threshold at the band's start are looked at (the
   * threshold only rises, so the others hold nothing above it), each with a branch-free test against the
   * threshold and its four nearest neighbours ({@link ChannelRows#peakCandidates}, one loop per row for both tests;
   * rows and columns beyond the border are -inf); the window test reads the rows. The threshold is read once per
   * band: a candidate above it but not above a threshold risen within the band is offered, in scan order, and
   * refused, as in {@link #scanRuns}.
   */
  private PeakScan scanBands(int c, int start, ChannelRows rows) {
    rows.load(buf, arr, arrOff, start);
    for (int y0 = 0; y0 < h; y0 += ChannelRows.BAND) {
      int y1 = Math.min(h, y0 + ChannelRows.BAND);
      int count = rows.columnsAbove(y0, y1, rawThreshold);
      if (count == 0) {
        continue;
      }
      int found = rows.peakCandidates(y0, y1, count, rawThreshold);
      for (int i = 0; i < found; i++) {
        int cell = rows.candidate(i);
        int y = cell / w;
        int x = cell - y * w;
        considerInRows(rows, rows.row(y)[x + 1], c, y, x);
      }
    }
    return this;
  }

  /** {@link #consider} for {@link #scanBands}: probabilities, suppressed pixels left out, the window in rows. */
  private void considerInRows(ChannelRows rows, float v, int c, int y, int x) {
    if (Float.isNaN(v)) {
      throw nanAt(c, y, x);
    }
    int x0 = Math.max(0, x - radius) + 1;
    int x1 = Math.min(w - 1, x + radius) + 1;
    for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
      float[] r = rows.row(yy);
      for (int xx = x0; xx <= x1; xx++) {
        if (!(v >= r[xx])) {
          return; // no peak (NaN neighbours included), and suppressed pixels are left out
        }
      }
    }
    if (heap.offer(v, (long) y * w + x)) {
      updateThreshold();
    }
  }

  private InvalidInputException nanAt(int c, int y, int x) {
    return new InvalidInputException(
        "NaN in heatmap '" + heat.name() + "' at batch " + n + ", channel " + c + ", y " + y + ", x " + x);
  }

  /**
   * A cheap early rejection while the heap is full (and its root not negative, so a suppressed 0 cannot enter):
   * whether a horizontal neighbour is surely larger after activation, so the pixel is no peak. These neighbours
   * are in cache; many pixels above the threshold in a blob end here.
   */
  private boolean besideLarger(float raw, int idx, int x) {
    if (radius == 0 || !(dropSuppressed || (heap.isFull() && heap.worstValue() >= 0f))) {
      return false;
    }
    if (x > 0) {
      float nb = at(idx - sx);
      if (nb > raw && (!logits || PeakTopK.distinctGap(raw, nb))) {
        return true;
      }
    }
    if (x < w - 1) {
      float nb = at(idx + sx);
      return nb > raw && (!logits || PeakTopK.distinctGap(raw, nb));
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
   * The first position in [from, to) of the run at buffer index {@code rowStart} (elements {@code step} apart)
   * whose value is not {@code <= thr} (NaN included), or {@code to}.
   */
  private int skip(int rowStart, int from, int to, int step, float thr) {
    if (arr != null) {
      int base = arrOff + rowStart;
      return step == 1
          ? RunSkip.array(arr, base, from, to, thr)
          : RunSkip.arrayStrided(arr, base, from, to, step, thr);
    }
    if (chunk == null) {
      chunk = new float[512];
    }
    return RunSkip.buffer(buf, chunk, rowStart, from, to, step, thr);
  }

  private void consider(float raw, int idx, int c, int y, int x, long myOrder) {
    if (Float.isNaN(raw)) {
      throw nanAt(c, y, x);
    }
    boolean peak = radius == 0 || isPeak(raw, idx, y, x);
    if (!peak && (dropSuppressed || (heap.isFull() && !(0f > heap.worstValue())))) {
      return; // a suppressed pixel (0) is at or below the floor, or cannot beat the root
    }
    float kept = peak ? (logits ? Activation.sigmoid(raw) : raw) : 0f;
    // positions only grow, so an entry equal in value to the root (of smaller order) never displaces it
    if (heap.offer(kept, myOrder)) {
      updateThreshold();
    }
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
      if (!logits || PeakTopK.distinctGap(raw, nb) || !(Activation.sigmoid(raw) >= Activation.sigmoid(nb))) {
        return false; // NaN neighbours end here too
      }
    }
    return true;
  }

  private void updateThreshold() {
    if (!heap.isFull()) {
      rawThreshold = floor;
      return;
    }
    float rootVal = heap.worstValue();
    float t;
    if (rootVal == 0f) {
      // A suppressed pixel (or a zero peak) is the worst kept: any raw value that activates to <= 0 loses.
      t = logits ? ZERO_LOGIT : 0f;
    } else {
      // The raw value of the root itself: anything not above it cannot beat the root's activated value.
      t = at(scanStart + (int) heap.worstOrder() * scanStep);
    }
    rawThreshold = Math.max(t, floor);
  }

  /** The kept peaks, best first (value descending, then scan position ascending). */
  Peaks result() {
    int[] best = heap.bestFirst();
    int count = best.length;
    float[] scores = new float[count];
    int[] cs = new int[count];
    int[] ys = new int[count];
    int[] xs = new int[count];
    boolean nchw = heat.layout() == Layout.NCHW;
    int plane = h * w;
    for (int i = 0; i < count; i++) {
      int j = best[i];
      int pos = (int) heap.orderAt(j);
      int c;
      int pixel;
      if (scanChannel >= 0) {
        c = scanChannel;
        pixel = pos;
      } else if (nchw) {
        c = pos / plane;
        pixel = pos - c * plane;
      } else {
        pixel = pos / channels;
        c = pos - pixel * channels;
      }
      scores[i] = heap.valueAt(j);
      cs[i] = c;
      ys[i] = pixel / w;
      xs[i] = pixel % w;
    }
    return new Peaks(count, scores, cs, ys, xs);
  }
}
